from .fsdp import FSDPStrategy
from .hooks import (BackboneAutocastHook, ClipVisualizationHook,
                    PretrainedHook, RankZeroLoggerHook)
from .optimizers import (FullShapeOptimWrapperConstructor,
                         LayerDecayOptimWrapperConstructor)

__all__ = [
    'FSDPStrategy', 'BackboneAutocastHook', 'ClipVisualizationHook',
    'PretrainedHook', 'RankZeroLoggerHook',
    'FullShapeOptimWrapperConstructor', 'LayerDecayOptimWrapperConstructor'
]
