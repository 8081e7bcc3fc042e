# UniFormer-L with Token Labeling (uniformer_l_tl_300e_in1k.py), trained with
# FSDP through MMEngine's FlexibleRunner: 8 GPUs x 128 images as the DDP
# recipe, weights, gradients and AdamW states sharded over the GPUs
# (FULL_SHARD), one FSDP unit per UniFormer block.
#   bash tools/train.sh configs/cls/uniformer_l_tl_300e_in1k_fsdp.py 8
# use_orig_params=True keeps every parameter under its own name, so the
# paramwise rules, frozen stages and checkpoint keys work as under DDP;
# uniformer_mm.FullShapeOptimWrapperConstructor applies the no-decay rule of
# 1-D parameters to the unsharded shapes (MMEngine's default constructor sees
# 1-D shards and would drop the weight decay of every weight). Checkpoints
# are full state dicts written by rank 0, loadable by tools/test.py.
# uniformer_mm.FSDPStrategy is MMEngine's with --resume fixed for torch >= 2.1.
# Difference to the DDP recipe: no EMA (MMEngine's EMAHook deep-copies the
# model, which fails on FSDP modules). Memory per GPU vs DDP:
# docs/fine_tuning_and_scale_out.md.
_base_ = './uniformer_s_tl_300e_in1k.py'

# UniFormer-L: the keys uniformer_l_tl_300e_in1k.py sets on the S recipe,
# restated (configs inherit at most 3 levels;
# tests/test_engine/test_scale_out.py checks
# that they match).
model = dict(
    backbone=dict(
        arch='l', drop_path_rate=0.4, layer_scale_init_value=1e-6),
    head=dict(in_channels=640))
optim_wrapper = dict(
    optimizer=dict(lr=1.2e-3),
    constructor='uniformer_mm.FullShapeOptimWrapperConstructor')
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1.2e-3),
    _base_.param_scheduler[1],
]

runner_type = 'uniformer_mm.FlexibleRunner'
strategy = dict(
    type='uniformer_mm.FSDPStrategy',
    model_wrapper=dict(
        type='MMFullyShardedDataParallel',
        use_orig_params=True,
        auto_wrap_policy=dict(
            type='uniformer_mm.engine.fsdp.uniformer_block_wrap_policy')),
    state_dict_cfg='full')
custom_hooks = []
