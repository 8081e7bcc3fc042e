from .hourglass_heads import HourglassClsHead, HourglassI3DHead
from .token_labeling_head import TokenLabelingClsHead

__all__ = ['HourglassClsHead', 'HourglassI3DHead', 'TokenLabelingClsHead']
