"""Layer-wise learning-rate decay for a UniFormer backbone in any toolbox.

Fine-tuning a pretrained backbone with one learning rate for every layer is
a common reason for accuracy that falls epoch after epoch: the stem and the
early stages, which transfer best, move as fast as the new head. Layer-wise
decay (BEiT, ConvNeXt, ViTDet) gives layer ``i`` of ``n`` the rate
``lr * layer_decay_rate ** (n - 1 - i)``: the head keeps ``lr``, the stem
gets the smallest rate.

mmpretrain's ``LearningRateDecayOptimWrapperConstructor`` asks
``model.get_layer_depth``, which only mmpretrain classifiers have; mmdet's
and mmseg's constructors pick their rules by backbone class name (ConvNeXt,
BEiT). This one asks ``model.backbone.get_layer_depth(name, 'backbone.')``
(the contract mmpretrain's classifiers forward to), so the same config block
works for detectors, segmentors, pose estimators, recognizers and
classifiers, plain or wrapped in DDP / FSDP.

Its base, ``FullShapeOptimWrapperConstructor``, is MMEngine's default
constructor made safe for FSDP (the shape rules see unsharded shapes); the
FSDP configs without layer decay use it directly.
"""
import logging
from collections import defaultdict
from typing import Callable, List, Optional, Tuple

import torch.nn as nn
from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper

from uniformer_mm.registry import OPTIM_WRAPPER_CONSTRUCTORS

#: Path segments that FSDP and activation checkpointing add to module names.
WRAPPER_SEGMENTS = ('_fsdp_wrapped_module.', '_checkpoint_wrapped_module.')


def clean_param_name(name: str) -> str:
    """``name`` as in the unwrapped model (wrapper segments removed)."""
    for segment in WRAPPER_SEGMENTS:
        name = name.replace(segment, '')
    return name


LayerDepth = Callable[[str], Tuple[int, int]]


def backbone_layer_depth(model: nn.Module) -> LayerDepth:
    """``name -> (layer_id, num_layers)`` of ``model.backbone``.

    Raises:
        TypeError: the model has no backbone with ``get_layer_depth``.
    """
    backbone = getattr(model, 'backbone', None)
    get_layer_depth = getattr(backbone, 'get_layer_depth', None)
    if not callable(get_layer_depth):
        found = ('no `backbone`' if backbone is None else
                 f'a backbone of type {type(backbone).__name__}')
        raise TypeError(
            'LayerDecayOptimWrapperConstructor needs '
            '`model.backbone.get_layer_depth(param_name, prefix)`, as '
            f'uniformer_mm.UniFormer has; {type(model).__name__} has '
            f'{found} without it. For this model drop `constructor` and '
            '`paramwise_cfg.layer_decay_rate` from `optim_wrapper`.')
    return lambda name: get_layer_depth(name, 'backbone.')


def _fsdp_class():
    try:
        from torch.distributed.fsdp import FullyShardedDataParallel
    except ImportError:  # torch built without distributed support
        return None
    return FullyShardedDataParallel


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class FullShapeOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """MMEngine's default constructor whose rules see full shapes under FSDP.

    FSDP with ``use_orig_params=True`` keeps the original parameters but,
    while sharded, as 1-D slices of a flat parameter, and MMEngine's
    ``FSDPStrategy`` builds the optimizer from the wrapped model: the
    default constructor would then put every weight under
    ``flat_decay_mult`` (no weight decay at all with the usual
    ``flat_decay_mult=0.``). This constructor forms the groups inside
    ``FSDP.summon_full_params`` (the same parameter objects, with their real
    shapes; all-gathered once, on the device the shards live on). It needs
    ``use_orig_params=True`` (flat parameters are refused). Without FSDP it
    is the default constructor. ``paramwise_cfg`` is that of
    :class:`DefaultOptimWrapperConstructor`.
    """

    def __call__(self, model: nn.Module) -> OptimWrapper:
        fsdp = _fsdp_class()
        if fsdp is not None and isinstance(model, fsdp):
            if any('_flat_param' in n for n, _ in model.named_parameters()):
                # the groups would hold views that FSDP does not train
                raise ValueError(
                    f'{type(self).__name__} needs the original parameters: '
                    'wrap the model with FSDP(use_orig_params=True) '
                    '(strategy.model_wrapper.use_orig_params=True)')
            with fsdp.summon_full_params(model, writeback=False):
                return super().__call__(model)
        return super().__call__(model)


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class LayerDecayOptimWrapperConstructor(FullShapeOptimWrapperConstructor):
    """MMEngine's default constructor plus layer-wise lr decay.

    Every ``paramwise_cfg`` rule of :class:`DefaultOptimWrapperConstructor`
    applies first (``custom_keys`` with ``lr_mult`` / ``decay_mult``,
    ``norm_decay_mult``, ``bias_decay_mult``, ``flat_decay_mult``,
    ``bias_lr_mult``, ...), one param group per parameter; then each
    group's lr is multiplied by ``layer_decay_rate ** (n - 1 - layer_id)``
    with ``(layer_id, n)`` from ``model.backbone.get_layer_depth``.
    Parameters outside the backbone (necks, heads) are the last layer and
    keep their lr. Frozen parameters (``requires_grad=False``, e.g.
    ``frozen_stages``) are left out, as by the default constructor. Each
    group also records ``layer_id``, ``lr_scale`` and ``param_name``; one
    line per layer is logged.

    Unlike mmpretrain's ``LearningRateDecayOptimWrapperConstructor``, a
    ``custom_keys`` ``lr_mult`` is honoured (it multiplies the layer scale),
    names are those of the unwrapped model under FSDP, and the shape rules
    see full shapes there (see :class:`FullShapeOptimWrapperConstructor`).

    Args:
        optim_wrapper_cfg (dict): as for the default constructor; the
            optimizer needs ``lr``.
        paramwise_cfg (dict): the default constructor's options and
            ``layer_decay_rate`` (float in (0, 1], required).

    Example:
        >>> optim_wrapper = dict(
        ...     optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.05),
        ...     constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
        ...     paramwise_cfg=dict(
        ...         layer_decay_rate=0.9,
        ...         norm_decay_mult=0., bias_decay_mult=0.,
        ...         flat_decay_mult=0.,
        ...         custom_keys={'.cls_token': dict(decay_mult=0.)}))
    """

    def __init__(self,
                 optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None):
        super().__init__(optim_wrapper_cfg, paramwise_cfg)
        rate = self.paramwise_cfg.get('layer_decay_rate')
        if rate is None:
            raise ValueError(
                'LayerDecayOptimWrapperConstructor needs '
                '`paramwise_cfg.layer_decay_rate` (e.g. 0.75; 1.0 turns the '
                'decay off)')
        if isinstance(rate, bool) or not isinstance(
                rate, (int, float)) or not 0 < rate <= 1:
            raise ValueError('paramwise_cfg.layer_decay_rate must be a '
                             f'number in (0, 1], got {rate!r}')
        if self.base_lr is None:
            raise ValueError('layer-wise lr decay scales the optimizer lr: '
                             'set `optim_wrapper.optimizer.lr`')
        self.layer_decay_rate = float(rate)

    def add_params(self,
                   params: List[dict],
                   module: nn.Module,
                   prefix: str = '',
                   is_dcn_module=None) -> None:
        """The default rules (recursive), then the decay at the top call.

        Args:
            params (list[dict]): param groups, extended in place.
            module (nn.Module): the (unwrapped) model at the top call.
            prefix (str): module path; ``''`` only at the top call.
            is_dcn_module: see :class:`DefaultOptimWrapperConstructor`.
        """
        if prefix:  # a recursive call of the base class
            super().add_params(params, module, prefix, is_dcn_module)
            return
        layer_depth = backbone_layer_depth(module)  # fail before the work
        super().add_params(params, module, prefix, is_dcn_module)
        self._apply_layer_decay(params, module, layer_depth)

    def _apply_layer_decay(self, params: List[dict], model: nn.Module,
                           layer_depth: LayerDepth) -> None:
        names = {
            id(param): clean_param_name(name)
            for name, param in model.named_parameters()
        }
        if not params:
            return  # nothing trainable: the optimizer reports it
        for group in params:
            name = names[id(group['params'][0])]
            layer_id, num_layers = layer_depth(name)
            scale = self.layer_decay_rate**(num_layers - 1 - layer_id)
            group['lr'] = group.get('lr', self.base_lr) * scale
            group.update(layer_id=layer_id, lr_scale=scale, param_name=name)
        self._log_layers(params, num_layers)

    def _log_layers(self, params: List[dict], num_layers: int) -> None:
        by_layer = defaultdict(list)
        for group in params:
            by_layer[group['layer_id']].append(group)
        lines = [
            f'layer-wise lr decay {self.layer_decay_rate} over {num_layers} '
            f'layers (base lr {self.base_lr:.3g}):'
        ]
        for layer_id in sorted(by_layer):
            groups = by_layer[layer_id]
            no_decay = sum(
                1 for g in groups if g.get('weight_decay', self.base_wd) == 0)
            lrs = sorted({g['lr'] for g in groups})
            lr = (f'{lrs[0]:.3g}' if len(lrs) == 1 else
                  f'{lrs[0]:.3g}..{lrs[-1]:.3g}')
            lines.append(
                f'  layer {layer_id:2d}: lr {lr} '
                f"(x{groups[0]['lr_scale']:.3g}), {len(groups)} tensors, "
                f'{no_decay} without weight decay')
        print_log('\n'.join(lines), logger='current', level=logging.INFO)
