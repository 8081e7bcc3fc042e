"""Weight initialisers of the UniFormer backbone (``init_cfg`` types)."""
import torch.nn as nn
from mmengine.model.weight_init import BaseInit

from uniformer_mm.registry import WEIGHT_INITIALIZERS


@WEIGHT_INITIALIZERS.register_module()
class SplitAttentionInit(BaseInit):
    """Official init of the split (temporal, then spatial) video blocks.

    The temporal attention of every block with one (``t_attn``) starts with
    zero ``qkv`` and bias and a unit ``proj`` weight, as the official
    ``SplitSABlock``; other modules are left as they are. Use it after the
    generic initialisers: ``dict(type='uniformer_mm.SplitAttentionInit')``.
    """

    def __call__(self, module: nn.Module) -> None:
        for block in module.modules():
            attention = getattr(block, 't_attn', None)
            if attention is None:
                continue
            nn.init.zeros_(attention.qkv.weight)
            nn.init.zeros_(attention.qkv.bias)
            nn.init.ones_(attention.proj.weight)
            nn.init.zeros_(attention.proj.bias)

    def _get_init_info(self) -> str:
        return f'{self.__class__.__name__}: t_attn.qkv = 0, t_attn.proj = 1'
