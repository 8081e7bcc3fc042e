from .hooks import PretrainedHook

__all__ = ['PretrainedHook']
