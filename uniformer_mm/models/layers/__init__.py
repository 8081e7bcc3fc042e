from .blocks import Attention, GlobalBlock, LocalBlock, Mlp, UniFormerBlock
from .embed import ConvDownsample, ConvStem, PatchEmbed
from .hourglass import MERGED_TOKEN_SCALES, HourglassBlock

__all__ = [
    'Attention', 'GlobalBlock', 'LocalBlock', 'Mlp', 'UniFormerBlock',
    'ConvDownsample', 'ConvStem', 'PatchEmbed', 'HourglassBlock',
    'MERGED_TOKEN_SCALES'
]
