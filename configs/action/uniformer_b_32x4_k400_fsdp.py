# UniFormer-B 32x4 on Kinetics-400 (uniformer_b_32x4_k400.py), trained with
# FSDP through MMEngine's FlexibleRunner: 8 GPUs x 4 videos as the DDP
# recipe, weights, gradients and AdamW states sharded over the GPUs
# (FULL_SHARD), one FSDP unit per UniFormer block.
#   bash tools/train.sh configs/action/uniformer_b_32x4_k400_fsdp.py 8
# use_orig_params=True keeps every parameter under its own name, so the
# paramwise rules, frozen stages and checkpoint keys work as under DDP;
# uniformer_mm.FullShapeOptimWrapperConstructor applies the no-decay rules to
# the unsharded shapes (MMEngine's default constructor sees 1-D shards and
# would drop the weight decay of every weight). Checkpoints are full state
# dicts written by rank 0, loadable by tools/test.py.
# uniformer_mm.FSDPStrategy is MMEngine's with --resume fixed for torch >= 2.1.
# Memory per GPU vs DDP: docs/fine_tuning_and_scale_out.md.
_base_ = './uniformer_s_32x4_k400.py'

# UniFormer-B: the keys uniformer_b_32x4_k400.py sets on the S recipe,
# restated (configs inherit at most 3 levels;
# tests/test_engine/test_scale_out.py checks
# that they match). Backbone: the ImageNet-1k UniFormer-B, inflated to 3D.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.3))
optim_wrapper = dict(
    constructor='uniformer_mm.FullShapeOptimWrapperConstructor')

runner_type = 'uniformer_mm.FlexibleRunner'
strategy = dict(
    type='uniformer_mm.FSDPStrategy',
    model_wrapper=dict(
        type='MMFullyShardedDataParallel',
        use_orig_params=True,
        auto_wrap_policy=dict(
            type='uniformer_mm.engine.fsdp.uniformer_block_wrap_policy')),
    state_dict_cfg='full')
