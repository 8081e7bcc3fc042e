"""FSDP auto-wrap policy for UniFormer: one FSDP unit per block.

Used by the ``FSDPStrategy`` configs (``configs/cls/*_fsdp.py``,
``configs/action/*_fsdp.py``) as::

    strategy = dict(
        type='FSDPStrategy',
        model_wrapper=dict(
            type='MMFullyShardedDataParallel',
            use_orig_params=True,
            auto_wrap_policy=dict(
                type='uniformer_mm.engine.fsdp.uniformer_block_wrap_policy')))

MMEngine resolves the dotted name by import. Each ``LocalBlock`` /
``GlobalBlock`` (and the light archs' hourglass blocks) gathers its
parameters only for its own forward and backward; the stem, the patch
embeddings, the output norms, necks and heads stay in the root unit. With
``use_orig_params=True`` the parameters keep their names, so layer-wise lr
decay, ``frozen_stages`` and checkpoint keys work as under DDP.
"""
import torch.nn as nn

from uniformer_mm.models.layers import GlobalBlock, LocalBlock


def uniformer_block_wrap_policy(module: nn.Module,
                                recurse: bool,
                                nonwrapped_numel: int = 0) -> bool:
    """FSDP ``auto_wrap_policy``: recurse everywhere, wrap every block."""
    if recurse:
        return True
    return isinstance(module, (LocalBlock, GlobalBlock))
