from uniformer_mm.registry import MODELS
from uniformer_mm.utils.optional import register_unavailable
from .hourglass_cls_head import HourglassClsHead
from .token_labeling_head import TokenLabelingClsHead

__all__ = ['HourglassClsHead', 'TokenLabelingClsHead']

# Only the video head needs mmaction2: a missing or broken mmaction2 (e.g.
# the 1.2.0 wheel without models/localizers/drn, which tools/install.sh
# repairs) must not break uniformer_mm for the other toolboxes.
try:
    from .hourglass_i3d_head import HourglassI3DHead  # noqa: F401
except ImportError as error:
    register_unavailable(MODELS, 'HourglassI3DHead', 'mmaction2', error)
else:
    __all__.append('HourglassI3DHead')
