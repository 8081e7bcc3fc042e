from .hooks import PretrainedHook
from .optimizers import (FullShapeOptimWrapperConstructor,
                         LayerDecayOptimWrapperConstructor)

__all__ = [
    'PretrainedHook', 'FullShapeOptimWrapperConstructor',
    'LayerDecayOptimWrapperConstructor'
]
