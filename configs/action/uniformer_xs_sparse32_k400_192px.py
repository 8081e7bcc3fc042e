# UniFormer-XS (light), Kinetics-400, 32 frames sparsely sampled (one per
# segment), 192x192 (official exp_light/uniformer_xs32_192_k400/run.sh): the
# XXS 4x128 recipe (lr 4e-4 not rescaled, 110 epochs, checkpointing of 4
# stage-3 blocks, fp32) with the XS arch, drop path 0.1, weight decay 0.05,
# 32 frames at 192 px (train short side 288), RandAugment (m7, n4), 8 GPUs x
# 16 videos (each sampled twice); test 1 clip x 1 centre crop (short side
# 192).
_base_ = './uniformer_xxs_sparse4_k400_128px.py'

# Backbone: the official ImageNet-1k UniFormer-XS, at 192 (the official
# PRETRAIN_NAME), inflated to 3D.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xs_192_in1k.pth'),
        arch='xs', drop_path_rate=0.1),
    cls_head=dict(in_channels=512))

train_pipeline = [
    dict(t, clip_len=32) if t['type'] == 'UniformSample' else
    dict(t, magnitude=7, num_layers=4)
    if t['type'] == 'uniformer_mm.ClipRandAugment' else
    dict(t, scale=(-1, 288)) if t['type'] == 'Resize' and t['scale'][0] == -1
    else dict(t, scale=(192, 192)) if t['type'] == 'Resize' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, clip_len=32) if t['type'] == 'UniformSample' else
    dict(t, scale=(-1, 192)) if t['type'] == 'Resize' else
    dict(t, crop_size=192) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_pipeline
]
test_pipeline = val_pipeline
# 8 GPUs x 16 videos.
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
auto_scale_lr = dict(enable=False, base_batch_size=128)

optim_wrapper = dict(optimizer=dict(weight_decay=0.05))
