from . import classifiers, heads, utils  # noqa: F401  (registration)
from .backbones import UniFormer, fuse_uniformer

__all__ = ['UniFormer', 'fuse_uniformer']
