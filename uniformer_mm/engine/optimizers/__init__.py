from .layer_decay_constructor import (FullShapeOptimWrapperConstructor,
                                      LayerDecayOptimWrapperConstructor)

__all__ = [
    'FullShapeOptimWrapperConstructor', 'LayerDecayOptimWrapperConstructor'
]
