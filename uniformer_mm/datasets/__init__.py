"""Data transforms of uniformer_mm (registered in ``uniformer_mm.TRANSFORMS``).

Importing this package is cheap: the toolbox code a transform reuses (e.g.
mmpretrain's RandAugment) is only imported when that transform is built.
"""
from .token_label import (LoadTokenLabel, TokenLabelRandAugment,
                          TokenLabelRandomFlip, TokenLabelRandomResizedCrop)
from .transforms import ClipRandAugment

__all__ = [
    'ClipRandAugment', 'LoadTokenLabel', 'TokenLabelRandAugment',
    'TokenLabelRandomFlip', 'TokenLabelRandomResizedCrop'
]
