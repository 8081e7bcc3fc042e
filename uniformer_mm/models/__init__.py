from . import heads
from .backbones import UniFormer, fuse_uniformer
from .classifiers import TokenLabelingClassifier
from .heads import *  # noqa: F401,F403  (HourglassI3DHead needs mmaction2)

__all__ = [
    'UniFormer', 'fuse_uniformer', 'TokenLabelingClassifier', *heads.__all__
]
