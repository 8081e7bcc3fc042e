from . import heads
from .backbones import UniFormer
from .classifiers import TokenLabelingClassifier
from .heads import *  # noqa: F401,F403  (HourglassI3DHead needs mmaction2)

__all__ = ['UniFormer', 'TokenLabelingClassifier', *heads.__all__]
