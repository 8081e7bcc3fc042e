from .backbones import UniFormer
from .heads import TokenLabelingClsHead

__all__ = ['UniFormer', 'TokenLabelingClsHead']
