from .pretrained_hook import PretrainedHook

__all__ = ['PretrainedHook']
