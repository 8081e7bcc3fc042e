from .checkpoint_safety import allow_mmengine_checkpoint_classes

__all__ = ['allow_mmengine_checkpoint_classes']
