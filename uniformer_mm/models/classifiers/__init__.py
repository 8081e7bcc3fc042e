"""Classifiers (mmpretrain-based: imported only when mmpretrain is)."""
from uniformer_mm.registry import MODELS
from uniformer_mm.utils.optional import import_optional

__all__ = import_optional(MODELS,
                          f'{__name__}.token_labeling_classifier',
                          ['TokenLabelingClassifier'], 'mmpretrain')
