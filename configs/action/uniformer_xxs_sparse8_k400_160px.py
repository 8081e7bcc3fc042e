# UniFormer-XXS (light), Kinetics-400, 8 frames sparsely sampled (one per
# segment), 160x160 (official exp_light/uniformer_xxs8_160_k400/run.sh): the
# XXS 4x128 recipe (lr 4e-4 not rescaled, 110 epochs, fp32) without layer
# scale, 8 frames at 160 px (train short side 256), RandAugment (m5, n2), 4
# GPUs x 64 videos (each sampled twice); test 1 clip x 1 centre crop (short
# side 160).
_base_ = './uniformer_xxs_sparse4_k400_128px.py'

# Backbone: the official ImageNet-1k UniFormer-XXS, at 160 (the official
# PRETRAIN_NAME), inflated to 3D.

# No layer scale in this run (official Uniformer_light_fp32 model).
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://huggingface.co/Andy1621/uniformer_light/'
            'resolve/main/uniformer_xxs_160_in1k.pth'),
        arch='xxs'))

train_pipeline = [
    dict(t, clip_len=8) if t['type'] == 'UniformSample' else
    dict(t, magnitude=5) if t['type'] == 'uniformer_mm.ClipRandAugment' else
    dict(t, scale=(-1, 256)) if t['type'] == 'Resize' and t['scale'][0] == -1
    else dict(t, scale=(160, 160)) if t['type'] == 'Resize' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, clip_len=8) if t['type'] == 'UniformSample' else
    dict(t, scale=(-1, 160)) if t['type'] == 'Resize' else
    dict(t, crop_size=160) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_pipeline
]
test_pipeline = val_pipeline
# 4 GPUs x 64 videos.
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
