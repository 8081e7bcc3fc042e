from .fsdp import FSDPStrategy
from .hooks import PretrainedHook
from .optimizers import (FullShapeOptimWrapperConstructor,
                         LayerDecayOptimWrapperConstructor)

__all__ = [
    'FSDPStrategy', 'PretrainedHook', 'FullShapeOptimWrapperConstructor',
    'LayerDecayOptimWrapperConstructor'
]
