from .uniformer import UniFormer, fuse_uniformer

__all__ = ['UniFormer', 'fuse_uniformer']
