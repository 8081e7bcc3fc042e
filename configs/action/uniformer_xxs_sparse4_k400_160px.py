# UniFormer-XXS (light), Kinetics-400, 4 frames sparsely sampled (one per
# segment), 160x160 (official exp_light/uniformer_xxs4_160_k400/run.sh): the
# XXS 4x128 recipe (layer scale, lr 4e-4 not rescaled, 110 epochs,
# RandAugment m10 n2, fp32) at 160 px (train short side 256), 4 GPUs x 64
# videos (each sampled twice); test 1 clip x 1 centre crop (short side 160).
_base_ = './uniformer_xxs_sparse4_k400_128px.py'

# Backbone: the official ImageNet-1k UniFormer-XXS, at 160 (the official
# PRETRAIN_NAME), inflated to 3D.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://huggingface.co/Andy1621/uniformer_light/'
            'resolve/main/uniformer_xxs_160_in1k.pth')))

train_pipeline = [
    dict(t, scale=(-1, 256)) if t['type'] == 'Resize' and t['scale'][0] == -1
    else dict(t, scale=(160, 160)) if t['type'] == 'Resize' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, scale=(-1, 160)) if t['type'] == 'Resize' else
    dict(t, crop_size=160) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_pipeline
]
test_pipeline = val_pipeline
# 4 GPUs x 64 videos.
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
