from .hooks import PretrainedHook
from .optimizers import LayerDecayOptimWrapperConstructor

__all__ = ['PretrainedHook', 'LayerDecayOptimWrapperConstructor']
