"""Mixed precision for the backbone only, usable from a config.

MMEngine's ``AmpOptimWrapper`` runs only on CUDA/NPU/MLU/MUSA. On CPU,
bfloat16 needs no loss scaling, so ``tools/train.py --amp`` adds this hook
(``custom_hooks = [dict(type='uniformer_mm.BackboneAutocastHook')]`` does
the same under ``mim train``): the backbone, the bulk of the compute, runs
under ``torch.autocast`` and its outputs are cast back to float32, so the
necks and heads stay in float32 (mmcv's CPU ops such as RoIAlign and NMS
have no bfloat16 kernels). It applies in training, validation and test.
"""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from uniformer_mm.registry import HOOKS


def to_float32(outputs):
    """Cast low-precision floating tensors of a (nested) output to float32."""
    if isinstance(outputs, torch.Tensor):
        return outputs.float() if outputs.dtype in (
            torch.bfloat16, torch.float16) else outputs
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(to_float32(o) for o in outputs)
    if isinstance(outputs, dict):
        return {k: to_float32(v) for k, v in outputs.items()}
    return outputs


@HOOKS.register_module()
class BackboneAutocastHook(Hook):
    """Run ``model.backbone`` under ``torch.autocast``.

    Args:
        dtype (str): ``'bfloat16'`` (CPU and GPU) or ``'float16'`` (GPU).
            Defaults to 'bfloat16'.
        device_type (str, optional): autocast device type; by default the
            device of the backbone's parameters.
    """
    priority = 'NORMAL'

    def __init__(self, dtype: str = 'bfloat16',
                 device_type: Optional[str] = None):
        if dtype not in ('bfloat16', 'float16'):
            raise ValueError("dtype must be 'bfloat16' or 'float16', got "
                             f'{dtype!r}')
        self.dtype = getattr(torch, dtype)
        self.device_type = device_type
        self._handles, self._contexts = [], []

    def before_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        backbone = getattr(model, 'backbone', None)
        if not isinstance(backbone, torch.nn.Module):
            raise TypeError('BackboneAutocastHook needs a model with a '
                            f'`backbone`; {type(model).__name__} has none')
        device = self.device_type or next(backbone.parameters()).device.type
        self._handles = [
            backbone.register_forward_pre_hook(
                lambda module, args: self._enter(device)),
            backbone.register_forward_hook(self._exit),
        ]
        runner.logger.info(f'backbone in {self.dtype} autocast on {device} '
                           '(necks and heads in float32)')

    def _enter(self, device: str) -> None:
        context = torch.autocast(device_type=device, dtype=self.dtype)
        context.__enter__()
        self._contexts.append(context)

    def _exit(self, module, args, outputs):
        self._contexts.pop().__exit__(None, None, None)
        return to_float32(outputs)

    def after_run(self, runner) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
