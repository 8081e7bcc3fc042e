# UniFormer-XXS (light), Kinetics-400, 16 frames sparsely sampled (one per
# segment), 128x128 (official exp_light/uniformer_xxs16_128_k400/run.sh): the
# XXS 4x128 recipe (8 GPUs x 32 videos, each sampled twice, 110 epochs, fp32)
# without layer scale, 16 frames, RandAugment (m5, n2), lr 8e-4 (not
# rescaled); test 1 clip x 1 centre crop (short side 128).
_base_ = './uniformer_xxs_sparse4_k400_128px.py'

# Backbone: the official ImageNet-1k UniFormer-XXS, at 128 (the official
# PRETRAIN_NAME), inflated to 3D.

# No layer scale in this run (official Uniformer_light_fp32 model).
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xxs_128_in1k.pth'),
        arch='xxs'))

train_pipeline = [
    dict(t, clip_len=16) if t['type'] == 'UniformSample' else
    dict(t, magnitude=5) if t['type'] == 'uniformer_mm.ClipRandAugment' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, clip_len=16) if t['type'] == 'UniformSample' else t
    for t in _base_.val_pipeline
]
test_pipeline = val_pipeline
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

optim_wrapper = dict(optimizer=dict(lr=8e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 8e-4),
    _base_.param_scheduler[1],
]
