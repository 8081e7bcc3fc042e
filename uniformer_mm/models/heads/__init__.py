"""Heads the toolboxes lack, each imported only with its toolbox: a missing
or broken toolbox (e.g. the mmaction2 1.2.0 wheel without
models/localizers/drn, which tools/install.sh repairs) leaves the rest of
uniformer_mm usable, and a config naming such a head fails with the
reason."""
from uniformer_mm.registry import MODELS
from uniformer_mm.utils.optional import import_optional

__all__ = [
    *import_optional(MODELS, f'{__name__}.hourglass_cls_head',
                     ['HourglassClsHead'], 'mmpretrain'),
    *import_optional(MODELS, f'{__name__}.token_labeling_head',
                     ['TokenLabelingClsHead'], 'mmpretrain'),
    *import_optional(MODELS, f'{__name__}.hourglass_i3d_head',
                     ['HourglassI3DHead'], 'mmaction2'),
]
