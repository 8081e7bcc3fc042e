"""Token-labeling data for mmpretrain pipelines (the UniFormer TL recipe).

The official token-labeling training (Sense-X/UniFormer
``image_classification/token_labeling``, from LV-ViT) reads, next to each
ImageNet training image, a dense top-k label map produced by a teacher
(NFNet-F6): a tensor ``(2, k, h, w)`` of scores (``[0]``) and class indices
(``[1]``) stored as ``<label_root>/<class folder>/<image stem>.pt``. The map
follows the image through the geometric augmentations (flip, the geometric
RandAugment ops, the random resized crop, which is recorded as a box); the
head turns it into per-token targets (``TokenLabelingClsHead``).

Pipeline, in the official order (flip, RandAugment, crop)::

    dict(type='LoadImageFromFile'),
    dict(type='uniformer_mm.LoadTokenLabel', label_root=...),
    dict(type='uniformer_mm.TokenLabelRandomFlip', prob=0.5),
    dict(type='uniformer_mm.TokenLabelRandAugment', ...),
    dict(type='uniformer_mm.TokenLabelRandomResizedCrop', scale=224),
    ...,
    dict(type='PackInputs', algorithm_keys=['token_label', 'token_label_box'])

The transforms subclass or wrap mmcv's / mmpretrain's own ones and only add
the label map; their image behaviour is unchanged.
"""
import os.path as osp

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmcv.transforms import RandomFlip as MMCVRandomFlip

from uniformer_mm.registry import TRANSFORMS
from .mmpretrain_ops import build_randaugment, mmpretrain_transforms
from .randomness import replayable_ops

__all__ = [
    'LoadTokenLabel', 'TokenLabelRandomFlip', 'TokenLabelRandAugment',
    'TokenLabelRandomResizedCrop'
]


@TRANSFORMS.register_module()
class LoadTokenLabel(BaseTransform):
    """Load the dense label map of ``results['img_path']``.

    Reads ``<label_root>/<parent folder>/<stem>.pt`` (the official layout:
    the class folder and the file name without extension) with
    ``torch.load(weights_only=True)``.

    Added keys:

    - token_label (np.ndarray): float32 ``(2, k, h, w)``: top-k scores and
      class indices per location of the whole image.

    Args:
        label_root (str): Folder of the label maps (the official
            ``--token-label-data``).
    """

    def __init__(self, label_root: str):
        self.label_root = label_root

    def transform(self, results: dict) -> dict:
        img_path = results['img_path']
        folder = osp.basename(osp.dirname(img_path))
        stem = osp.splitext(osp.basename(img_path))[0]
        path = osp.join(self.label_root, folder, stem + '.pt')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'no token label map for {img_path}: expected {path} '
                '(the official layout <label_root>/<class folder>/<stem>.pt; '
                'the NFNet-F6 label maps are released with LV-ViT / '
                'TokenLabeling). Set label_root, or train without token '
                'labels (drop LoadTokenLabel).')
        label = torch.load(path, map_location='cpu', weights_only=True)
        if not (isinstance(label, torch.Tensor) and label.dim() == 4
                and label.shape[0] == 2):
            shape = tuple(label.shape) if isinstance(
                label, torch.Tensor) else type(label).__name__
            raise ValueError(f'{path}: a token label map is a tensor (2, k, '
                             f'h, w) of scores and class indices, got '
                             f'{shape}')
        results['token_label'] = label.float().numpy()
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(label_root={self.label_root!r})'


@TRANSFORMS.register_module()
class TokenLabelRandomFlip(MMCVRandomFlip):
    """mmcv's ``RandomFlip`` that flips ``results['token_label']`` with the
    image (the official ``RandomHorizontalFlipWithLabel``)."""

    _AXES = dict(horizontal=(-1, ), vertical=(-2, ), diagonal=(-2, -1))

    def _flip(self, results: dict) -> None:
        super()._flip(results)
        if 'token_label' in results:
            axes = self._AXES[results['flip_direction']]
            results['token_label'] = np.ascontiguousarray(
                np.flip(results['token_label'], axes))


@TRANSFORMS.register_module()
class TokenLabelRandomResizedCrop(BaseTransform):
    """mmpretrain's ``RandomResizedCrop`` that records its crop.

    Takes the arguments of mmpretrain's ``RandomResizedCrop`` (unchanged
    image behaviour).

    Added keys:

    - token_label_box (np.ndarray): float32 ``(4, )``, the crop as
      fractions of the image before the crop, ``(x1, y1, x2, y2)``; the head
      crops the label map with it.
    """

    def __init__(self, **kwargs):
        transforms = mmpretrain_transforms(type(self).__name__)
        self.crop = transforms.RandomResizedCrop(**kwargs)

    def transform(self, results: dict) -> dict:
        height, width = results['img'].shape[:2]
        # Draw the crop, then let the crop draw it again from the same
        # numpy state (its only source of randomness).
        state = np.random.get_state()
        top, left, crop_h, crop_w = self.crop.rand_crop_params(results['img'])
        np.random.set_state(state)
        results = self.crop(results)
        results['token_label_box'] = np.array([
            left / width, top / height, (left + crop_w) / width,
            (top + crop_h) / height
        ], dtype=np.float32)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.crop!r})'


@TRANSFORMS.register_module()
class TokenLabelRandAugment(BaseTransform):
    """mmpretrain's ``RandAugment`` whose geometric ops (Rotate, Shear,
    Translate) also move ``results['token_label']``, as the official
    label-aware RandAugment does (``random_augment_label.py``): the same op,
    with the same random draws, on the label planes, with nearest
    interpolation and zero fill.

    Takes the arguments of mmpretrain's ``RandAugment`` (unchanged image
    behaviour).
    """

    def __init__(self, **kwargs):
        transforms = mmpretrain_transforms(type(self).__name__)
        self.randaugment = build_randaugment(type(self).__name__, **kwargs)
        self._geometric = (transforms.Rotate, transforms.Shear,
                           transforms.Translate)

    def transform(self, results: dict) -> dict:
        for op in replayable_ops(self.randaugment):
            results = op(results)
            if 'token_label' in results and isinstance(op, self._geometric):
                results['token_label'] = self._replay(op,
                                                      results['token_label'])
        return results

    @staticmethod
    def _replay(op, label: np.ndarray) -> np.ndarray:
        """``op`` (its draws cached) on ``(2, k, h, w)`` label planes."""
        two, k, h, w = label.shape
        planes = label.reshape(two * k, h, w).transpose(1, 2, 0)
        saved = op.pad_val, op.interpolation
        op.pad_val, op.interpolation = 0, 'nearest'
        try:
            moved = op(dict(img=np.ascontiguousarray(planes)))['img']
        finally:
            op.pad_val, op.interpolation = saved
        return np.ascontiguousarray(
            moved.reshape(h, w, two * k).transpose(2, 0, 1).reshape(
                two, k, h, w))

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.randaugment!r})'
