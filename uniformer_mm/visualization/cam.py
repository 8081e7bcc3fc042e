"""Grad-CAM of UniFormer classifiers and recognizers with the toolboxes' own
Grad-CAM code.

Images: ``pytorch_grad_cam`` (the ``grad-cam`` package mmpretrain's
``vis_cam`` uses, ``requirements/visualization.txt``). Videos: mmaction2's
``mmaction.utils.GradCAM`` (what its ``vis_cam`` uses).

Target layers. Every UniFormer block returns a feature map ``(B, C, [T,]
H, W)``, so no ``reshape_transform`` is needed (also for the global and
hourglass stages: tokens are folded back into maps inside each block). The
layer that works is the last map before pooling:

- ``backbone.norm`` (mmaction2: ``backbone/norm``), the BatchNorm after the
  last block of the classification and video models (``out_norm='BN'``);
  mmpretrain's ``vis_cam`` picks it by itself (its last norm layer);
- ``backbone.blocks4.<last>`` for dense models (``out_norm='LN'``): their
  output norms work on channels-last tensors, which Grad-CAM would read as
  maps of the wrong axis.

mmaction2's default ``backbone/layer4/1/relu`` is a ResNet layer that
UniFormer does not have.
"""
from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn as nn


def default_target_layer(model: nn.Module) -> str:
    """Name (dotted) of the layer Grad-CAM should read in ``model``."""
    backbone = model.backbone
    if getattr(backbone, 'out_norm', None) == 'BN':
        return 'backbone.norm'
    last = len(backbone.blocks4) - 1
    return f'backbone.blocks4.{last}'


def get_layer(model: nn.Module, name: str) -> nn.Module:
    """A submodule by dotted (mmpretrain) or slashed (mmaction2) name."""
    name = name.replace('/', '.')
    modules = dict(model.named_modules())
    if name not in modules:
        raise ValueError(f'no layer {name!r} in {type(model).__name__}; '
                         f'e.g. {default_target_layer(model)!r}')
    return modules[name]


def image_cam(model: nn.Module,
              inputs: torch.Tensor,
              target_layers: Sequence[str] = (),
              category: Optional[int] = None,
              method: str = 'GradCAM') -> np.ndarray:
    """Grad-CAM ``(B, H, W)`` in [0, 1] of an mmpretrain classifier for its
    preprocessed ``inputs``; ``category`` None: the predicted class."""
    import pytorch_grad_cam
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    names = list(target_layers) or [default_target_layer(model)]
    layers = [get_layer(model, n) for n in names]
    cam = getattr(pytorch_grad_cam, method)(model=model, target_layers=layers)
    targets = None if category is None else [
        ClassifierOutputTarget(category)
    ] * inputs.shape[0]
    try:
        return cam(input_tensor=inputs, targets=targets)
    finally:
        cam.activations_and_grads.release()


def video_cam(model: nn.Module,
              data: dict,
              target_layer: Optional[str] = None,
              use_labels: bool = False) -> List[np.ndarray]:
    """mmaction2's Grad-CAM of a recognizer for one collated batch ``data``.

    Returns ``[maps, blended]``: ``maps`` ``(B, T, H, W)`` in [0, 1] (one
    map per input frame), ``blended`` ``(B, T, H, W, 3)`` RGB in [0, 1], as
    mmaction2's ``vis_cam`` draws them. ``use_labels``: the class in the
    data samples instead of the predicted one.
    """
    from mmaction.utils import GradCAM
    name = (target_layer or default_target_layer(model)).replace('.', '/')
    get_layer(model, name)  # a clear error for a wrong name
    gradcam = GradCAM(model, name)
    # as GradCAM.__call__, keeping the maps: test_step preprocesses ``data``
    maps, _ = gradcam._calculate_localization_map(data, use_labels)
    blended = gradcam._alpha_blending(maps, data['inputs'], 0.5)
    return [maps.detach().cpu().numpy(), blended.numpy()]
