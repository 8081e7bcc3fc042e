from .backbones import UniFormer
from .heads import HourglassClsHead, HourglassI3DHead, TokenLabelingClsHead

__all__ = [
    'UniFormer', 'HourglassClsHead', 'HourglassI3DHead', 'TokenLabelingClsHead'
]
