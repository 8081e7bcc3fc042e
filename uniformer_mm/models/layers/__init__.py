from .blocks import Attention, GlobalBlock, LocalBlock, Mlp
from .embed import ConvDownsample, ConvStem, PatchEmbed
from .hourglass import HourglassBlock

__all__ = [
    'Attention', 'GlobalBlock', 'LocalBlock', 'Mlp', 'ConvDownsample',
    'ConvStem', 'PatchEmbed', 'HourglassBlock'
]
