"""FSDP for UniFormer: one FSDP unit per block, and a strategy that resumes.

The ``*_fsdp.py`` configs (``configs/cls``, ``configs/action``) use::

    runner_type = 'uniformer_mm.FlexibleRunner'
    strategy = dict(
        type='uniformer_mm.FSDPStrategy',
        model_wrapper=dict(
            type='MMFullyShardedDataParallel',
            use_orig_params=True,
            auto_wrap_policy=dict(
                type='uniformer_mm.engine.fsdp.uniformer_block_wrap_policy')),
        state_dict_cfg='full')

MMEngine resolves the policy's dotted name by import. Each ``LocalBlock`` /
``GlobalBlock`` (and the light archs' hourglass blocks) gathers its
parameters only for its own forward and backward; the stem, the patch
embeddings, the output norms, necks and heads stay in the root unit. With
``use_orig_params=True`` the parameters keep their names, so layer-wise lr
decay, ``frozen_stages`` and checkpoint keys work as under DDP.
"""
import torch.nn as nn
from mmengine._strategy.fsdp import FSDP
from mmengine._strategy.fsdp import FSDPStrategy as MMEngineFSDPStrategy

from uniformer_mm.models.layers import GlobalBlock, LocalBlock
from uniformer_mm.registry import STRATEGIES


def uniformer_block_wrap_policy(module: nn.Module,
                                recurse: bool,
                                nonwrapped_numel: int = 0) -> bool:
    """FSDP ``auto_wrap_policy``: recurse everywhere, wrap every block."""
    if recurse:
        return True
    return isinstance(module, (LocalBlock, GlobalBlock))


@STRATEGIES.register_module()
class FSDPStrategy(MMEngineFSDPStrategy):
    """MMEngine's ``FSDPStrategy`` whose ``--resume`` works on torch >= 2.1.

    MMEngine 0.10.7 calls ``FSDP.optim_state_dict_to_load(state_dict,
    model, optimizer)``, the argument order of torch 2.0; torch 2.1 changed
    it to ``(model, optim, optim_state_dict)``, and resuming fails with
    ``TypeError: unhashable type: 'dict'``. The arguments are passed by
    name here; everything else is MMEngine's.
    """

    def load_optim_state_dict(self, state_dict: dict) -> None:
        optim_state_dict = FSDP.optim_state_dict_to_load(
            model=self.model,
            optim=self.optim_wrapper.optimizer,
            optim_state_dict=state_dict)
        self.optim_wrapper.load_state_dict(optim_state_dict)
