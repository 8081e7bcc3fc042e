from .uniformer import UniFormer

__all__ = ['UniFormer']
