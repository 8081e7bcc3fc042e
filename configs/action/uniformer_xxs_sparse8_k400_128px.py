# UniFormer-XXS (light), Kinetics-400, 8 frames sparsely sampled (one per
# segment), 128x128 (official exp_light/uniformer_xxs8_128_k400/run.sh): the
# XXS 4x128 recipe (layer scale, lr 4e-4 not rescaled, 110 epochs,
# RandAugment m10 n2, fp32) with 8 frames, 4 GPUs x 64 videos (each sampled
# twice); test 1 clip x 1 centre crop (short side 128).
_base_ = './uniformer_xxs_sparse4_k400_128px.py'

# Backbone: the official ImageNet-1k UniFormer-XXS, at 128 (the official
# PRETRAIN_NAME), inflated to 3D.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xxs_128_in1k.pth')))

train_pipeline = [
    dict(t, clip_len=8) if t['type'] == 'UniformSample' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, clip_len=8) if t['type'] == 'UniformSample' else t
    for t in _base_.val_pipeline
]
test_pipeline = val_pipeline
# 4 GPUs x 64 videos.
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
