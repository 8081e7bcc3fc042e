"""Mixed precision for the backbone only, usable from a config.

MMEngine's ``AmpOptimWrapper`` runs only on CUDA/NPU/MLU/MUSA. On CPU,
bfloat16 needs no loss scaling, so ``uniformer_mm.Runner`` adds this hook
when a config asks for AMP with ``cpu_amp='bf16'`` (or name it yourself:
``custom_hooks = [dict(type='uniformer_mm.BackboneAutocastHook')]``): the
backbone, the bulk of the compute, runs under ``torch.autocast`` and its
outputs are cast back to float32, so the
necks and heads stay in float32 (mmcv's CPU ops such as RoIAlign and NMS
have no bfloat16 kernels). It applies in training, validation and test.

On a CPU without native bfloat16 (AVX512-BF16 or AMX) autocast is emulated
and several times slower than float32: the hook then says so and keeps
float32, unless ``allow_emulated=True``.
"""
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from uniformer_mm.registry import HOOKS
from uniformer_mm.utils.machine import low_precision_support


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
        allow_emulated (bool): use ``dtype`` even where the device has no
            native support for it (slower than float32 there). Defaults to
            False: such a device keeps float32, with a warning.
    """
    priority = 'NORMAL'

    def __init__(self, dtype: str = 'bfloat16',
                 device_type: Optional[str] = None,
                 allow_emulated: bool = False):
        if dtype not in ('bfloat16', 'float16'):
            raise ValueError("dtype must be 'bfloat16' or 'float16', got "
                             f'{dtype!r}')
        self.dtype = getattr(torch, dtype)
        self.device_type = device_type
        self.allow_emulated = allow_emulated
        self._handles, self._contexts = [], []

    def before_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        backbone = getattr(model, 'backbone', None)
        if not isinstance(backbone, torch.nn.Module):
            raise TypeError('BackboneAutocastHook needs a model with a '
                            f'`backbone`; {type(model).__name__} has none')
        device = self.device_type or next(backbone.parameters()).device.type
        native, reason = low_precision_support(self.dtype, device)
        if not native and not self.allow_emulated:
            runner.logger.warning(
                f'BackboneAutocastHook: {reason}; keeping float32 (set '
                'allow_emulated=True to use it anyway)')
            return
        if not native:
            runner.logger.warning(f'BackboneAutocastHook: {reason}; using it '
                                  'as asked (allow_emulated=True)')
        self._handles = [
            backbone.register_forward_pre_hook(
                lambda module, args: self._enter(device)),
            # always_call: autocast is left even when the backbone raises
            # (out of memory in validation, say), not kept on for the rest
            # of the process
            backbone.register_forward_hook(self._exit, always_call=True),
        ]
        runner.logger.info(f'backbone in {self.dtype} autocast on {device} '
                           '(necks and heads in float32)')

    def _enter(self, device: str) -> None:
        context = torch.autocast(device_type=device, dtype=self.dtype)
        context.__enter__()
        self._contexts.append(context)

    def _exit(self, module, args, outputs):
        """Leave the autocast entered for this call; ``outputs`` is None
        when the backbone raised (the exception then propagates)."""
        self._contexts.pop().__exit__(None, None, None)
        return None if outputs is None else to_float32(outputs)

    def after_run(self, runner) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
