from .token_labeling_head import TokenLabelingClsHead

__all__ = ['TokenLabelingClsHead']
