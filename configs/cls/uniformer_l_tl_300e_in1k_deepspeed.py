# UniFormer-L with Token Labeling (uniformer_l_tl_300e_in1k.py), trained with
# DeepSpeed ZeRO stage 2 through MMEngine's FlexibleRunner: 8 GPUs x 128
# images as the DDP recipe, gradients and AdamW states partitioned over the
# GPUs, float32 as the DDP recipe without --amp.
#   bash tools/train.sh configs/cls/uniformer_l_tl_300e_in1k_deepspeed.py 8
# DeepSpeed 0.16.9 is installed by tools/install.sh off the default import
# path: prefix the command with PYTHONPATH=.venv/extras/deepspeed. Checkpoints
# are DeepSpeed folders (epoch_N.pth/mp_rank_00_model_states.pt, ...).
# Memory per GPU vs DDP: docs/fine_tuning_and_scale_out.md.
_base_ = './uniformer_s_tl_300e_in1k.py'

# UniFormer-L: the keys uniformer_l_tl_300e_in1k.py sets on the S recipe,
# restated (configs inherit at most 3 levels;
# tests/test_engine/test_scale_out.py checks
# that they match).
model = dict(
    backbone=dict(
        arch='l', drop_path_rate=0.4, layer_scale_init_value=1e-6),
    head=dict(in_channels=640))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1.2e-3),
    _base_.param_scheduler[1],
]
# DeepSpeedOptimWrapper takes only the optimizer (no clip_grad).
optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer=dict(_base_.optim_wrapper.optimizer, lr=1.2e-3),
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
