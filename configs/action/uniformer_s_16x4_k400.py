# UniFormer-S, Kinetics-400, 16 frames x stride 4 (official
# exp/uniformer_s16x4_k400): the 8x8 recipe with 8 GPUs x 4 videos (each
# sampled twice), lr 1e-4, 110 epochs (10 warmup), drop path 0.1; test 4 clips
# x 1 centre crop. Its run.sh is not in the public repository: batch, lr and
# epochs follow the 16x8 run (lr 1e-4 per 32 videos, 110 epochs).
_base_ = './uniformer_s_8x8_k400.py'

train_pipeline = [
    dict(t, clip_len=16, frame_interval=4)
    if t['type'] == 'SampleFrames' else t for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, clip_len=16, frame_interval=4)
    if t['type'] == 'SampleFrames' else t for t in _base_.val_pipeline
]
test_pipeline = [
    dict(t, clip_len=16, frame_interval=4)
    if t['type'] == 'SampleFrames' else t for t in _base_.test_pipeline
]
# 8 GPUs x 4 videos.
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
auto_scale_lr = dict(enable=False, base_batch_size=32)

optim_wrapper = dict(optimizer=dict(lr=1e-4))
# Warmup from 1e-6 for 10 epochs, then cosine to 1e-6 at epoch 110.
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1e-4),
    dict(_base_.param_scheduler[1], T_max=100, end=110),
]
train_cfg = dict(max_epochs=110)
