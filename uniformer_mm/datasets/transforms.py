"""Video data transforms for the mmaction2 pipelines of the paper configs."""
from numbers import Number
from typing import Sequence, Union

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform

from uniformer_mm.registry import TRANSFORMS
from .mmpretrain_ops import build_randaugment
from .randomness import replayable_ops

__all__ = ['ClipRandAugment']

# The interpolation names of mmcv's geometric functions (cv2 flags).
_INTERPOLATIONS = ('nearest', 'bilinear', 'bicubic', 'area', 'lanczos')


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _check_pad_val(pad_val) -> Union[int, tuple]:
    """``pad_val`` as mmcv's border functions take it: a Python int, or a
    tuple of three Python ints (np.int64 is refused by ``mmcv.imshear``)."""

    def is_byte(value):
        return (isinstance(value, (int, np.integer))
                and not isinstance(value, bool) and 0 <= value <= 255)

    if is_byte(pad_val):
        return int(pad_val)
    if (isinstance(pad_val, Sequence) and not isinstance(pad_val, str)
            and len(pad_val) == 3 and all(is_byte(v) for v in pad_val)):
        return tuple(int(v) for v in pad_val)
    raise ValueError('pad_val must be an int in [0, 255] or three of them '
                     f'(R, G, B), got {pad_val!r}')


@TRANSFORMS.register_module()
class ClipRandAugment(BaseTransform):
    """RandAugment with the same ops and magnitudes on every frame of a clip.

    It reproduces the RandAugment of the official UniFormer video recipe
    (Sense-X/UniFormer ``video_classification``, SlowFast code base): timm's
    ``rand-m{magnitude}-n{num_layers}-mstd0.5-inc1``, i.e. ``num_layers`` ops
    drawn with replacement from timm's 15 "increasing" ops, each applied with
    probability 0.5 at a magnitude drawn from N(``magnitude``,
    ``magnitude_std``) clipped to [0, ``total_level``], with one draw per op
    shared by all the frames of the clip (the official code applies each op
    to the list of frames as PIL images). The ops, their magnitude ranges
    (translation up to 0.45 of the width/height, rotation up to 30 degrees,
    ...) and the random draws are those of mmpretrain's ``RandAugment`` with
    ``policies='timm_increasing'``, which this transform reuses (mmpretrain
    is imported when the transform is built).

    Clip consistency: the random draws of mmpretrain's RandAugment and of its
    ops are methods decorated with mmcv's ``@cache_randomness``; the ops are
    drawn once per clip, then each chosen op runs on every frame inside its
    own ``cache_random_params`` block (as mmcv's ``TransformBroadcaster``
    does), so its draws (applied or not, magnitude, sign) are made on the
    first frame and reused on the others. One block per chosen op, not one
    for the whole RandAugment, so that an op drawn twice draws its
    parameters twice, as in timm.

    Why not mmaction2's ``PytorchVideoWrapper(op='RandAugment')``: it needs
    ``pytorchvideo``, whose last release (0.1.5) does not import with recent
    torchvision (``torchvision.transforms.functional_tensor`` was removed),
    and pytorchvideo's RandAugment is not timm's increasing /
    magnitude-noise variant.

    Required keys:

    - imgs (list[np.ndarray]): the frames of the clip, each ``(H, W, 3)``
      uint8 in RGB order (as after mmaction2's ``DecordDecode`` /
      ``RawFrameDecode`` and ``Resize``); a ``(T, H, W, 3)`` uint8 array
      is accepted too.

    Modified keys:

    - imgs: the augmented frames, same type, shapes and dtype as the input
      (a new list / array; the input frames are not modified).
    - img_shape: ``(H, W)`` of the augmented frames (unchanged by these
      ops, which keep the size).

    The mmpretrain ops work on BGR images (mmcv's ``adjust_color`` /
    ``adjust_contrast`` take the grey level with ``bgr2gray``): each frame is
    converted RGB -> BGR before the ops and back after, and ``pad_val`` is
    given in RGB and passed reversed.

    Args:
        magnitude (int | float): Magnitude level M, in ``[0, total_level]``.
            Defaults to 7 (``rand-m7``).
        num_layers (int): Number of ops applied to each clip, N >= 1.
            Defaults to 4 (``-n4``).
        magnitude_std (float | str): Std of the Gaussian noise on the
            magnitude (0 for none, 'inf' for uniform in [0, M], as timm).
            Defaults to 0.5 (``-mstd0.5``).
        total_level (int | float): The maximum magnitude level (timm's 10).
            Defaults to 10.
        pad_val (int | Sequence[int]): Fill of the area uncovered by Rotate,
            Shear and Translate, in RGB. Defaults to 128, timm's fill when
            no ``img_mean`` is given, as in the official SlowFast code
            (timm's image recipes fill with the ImageNet mean,
            ``(124, 116, 104)``).
        interpolation (str): Interpolation of Rotate, Shear and Translate,
            one of 'nearest', 'bilinear', 'bicubic', 'area', 'lanczos'.
            Defaults to 'bicubic' (the official ``AUG.INTERPOLATION``).
    """

    def __init__(self,
                 magnitude: Union[int, float] = 7,
                 num_layers: int = 4,
                 magnitude_std: Union[float, str] = 0.5,
                 total_level: Union[int, float] = 10,
                 pad_val: Union[int, Sequence[int]] = 128,
                 interpolation: str = 'bicubic'):
        if not (isinstance(num_layers, (int, np.integer))
                and not isinstance(num_layers, bool) and num_layers >= 1):
            raise ValueError(
                f'num_layers must be an int >= 1, got {num_layers!r}')
        if not (_is_number(total_level) and total_level > 0):
            raise ValueError(
                f'total_level must be a number > 0, got {total_level!r}')
        if not (_is_number(magnitude) and 0 <= magnitude <= total_level):
            raise ValueError(f'magnitude must be a number in [0, total_level='
                             f'{total_level}], got {magnitude!r}')
        if not (magnitude_std == 'inf' or
                (_is_number(magnitude_std) and magnitude_std >= 0)):
            raise ValueError('magnitude_std must be a number >= 0 or "inf", '
                             f'got {magnitude_std!r}')
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(f'interpolation must be one of {_INTERPOLATIONS}'
                             f', got {interpolation!r}')
        pad_val = _check_pad_val(pad_val)

        self.magnitude = magnitude
        self.num_layers = int(num_layers)
        self.magnitude_std = magnitude_std
        self.total_level = total_level
        self.pad_val = pad_val
        self.interpolation = interpolation
        bgr_pad_val = pad_val[::-1] if isinstance(pad_val, tuple) else pad_val
        self.randaugment = build_randaugment(
            'uniformer_mm.ClipRandAugment',
            policies='timm_increasing',
            num_policies=self.num_layers,
            magnitude_level=magnitude,
            magnitude_std=magnitude_std,
            total_level=total_level,
            hparams=dict(pad_val=bgr_pad_val, interpolation=interpolation))

    def transform(self, results: dict) -> dict:
        """Augment ``results['imgs']`` with one draw of ops for the clip."""
        imgs = results['imgs']
        for i, img in enumerate(imgs):
            if not (isinstance(img, np.ndarray) and img.ndim == 3
                    and img.shape[2] == 3 and img.dtype == np.uint8):
                raise ValueError(
                    'ClipRandAugment expects RGB frames of shape (H, W, 3) '
                    f'and dtype uint8; frame {i} is '
                    f'{getattr(img, "shape", None)} '
                    f'{getattr(img, "dtype", type(img).__name__)}')
        if len(imgs) == 0:
            return results

        frames = [mmcv.rgb2bgr(img) for img in imgs]
        # Each op's draws are made on the first frame, reused on the others.
        for op in replayable_ops(self.randaugment):
            frames = [op(dict(img=frame))['img'] for frame in frames]
        frames = [mmcv.bgr2rgb(frame) for frame in frames]

        if isinstance(imgs, np.ndarray):
            results['imgs'] = np.stack(frames)
        else:
            results['imgs'] = frames
        results['img_shape'] = frames[0].shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(magnitude={self.magnitude}, '
                f'num_layers={self.num_layers}, '
                f'magnitude_std={self.magnitude_std}, '
                f'total_level={self.total_level}, pad_val={self.pad_val}, '
                f'interpolation={self.interpolation!r})')
