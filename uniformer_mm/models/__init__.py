from .backbones import UniFormer
from .classifiers import TokenLabelingClassifier
from .heads import HourglassClsHead, HourglassI3DHead, TokenLabelingClsHead

__all__ = [
    'UniFormer', 'TokenLabelingClassifier', 'HourglassClsHead',
    'HourglassI3DHead', 'TokenLabelingClsHead'
]
