from .weight_init import SplitAttentionInit

__all__ = ['SplitAttentionInit']
