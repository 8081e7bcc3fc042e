# UniFormer-B 32x4 on Kinetics-400 (uniformer_b_32x4_k400.py), trained with
# DeepSpeed ZeRO stage 2 through MMEngine's FlexibleRunner: 8 GPUs x 4 videos
# as the DDP recipe, gradients and AdamW states partitioned over the GPUs,
# float32 as the DDP recipe without --amp.
#   bash tools/train.sh configs/action/uniformer_b_32x4_k400_deepspeed.py 8
# DeepSpeed 0.16.9 is installed by tools/install.sh off the default import
# path: prefix the command with PYTHONPATH=.venv/extras/deepspeed. Checkpoints
# are DeepSpeed folders (epoch_N.pth/mp_rank_00_model_states.pt, ...).
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
# DeepSpeedOptimWrapper takes only the optimizer.
optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer=_base_.optim_wrapper.optimizer,
    paramwise_cfg=_base_.optim_wrapper.paramwise_cfg)

runner_type = 'uniformer_mm.FlexibleRunner'
strategy = dict(
    type='DeepSpeedStrategy',
    zero_optimization=dict(
        stage=2,
        allgather_partitions=True,
        reduce_scatter=True,
        allgather_bucket_size=int(5e8),
        reduce_bucket_size=int(5e8),
        overlap_comm=True,
        contiguous_gradients=True),
    train_micro_batch_size_per_gpu=_base_.train_dataloader.batch_size)
