from .fileio import ATOMIC_BACKEND, AtomicLocalBackend
from .fsdp import FSDPStrategy
from .hooks import (BackboneAutocastHook, ClipVisualizationHook,
                    PretrainedHook, RankZeroLoggerHook)
from .optimizers import (FullShapeOptimWrapperConstructor,
                         LayerDecayOptimWrapperConstructor)
from .runner import FlexibleRunner, Runner

__all__ = [
    'ATOMIC_BACKEND', 'AtomicLocalBackend', 'FSDPStrategy',
    'BackboneAutocastHook', 'ClipVisualizationHook', 'PretrainedHook',
    'RankZeroLoggerHook',
    'FullShapeOptimWrapperConstructor', 'LayerDecayOptimWrapperConstructor',
    'Runner', 'FlexibleRunner'
]
