# Demo: Semantic FPN on the generated ADE20K-format scenes (ADE20K's first
# five classes: wall, building, sky, floor, tree; label 0 = other, ignored via
# reduce_zero_label as on ADE20K), a tiny UniFormer on CPU. Model type,
# pipeline steps, losses, optimizer and the mIoU metric come from the paper
# config. Data: python tools/dataset_converters/make_demo_data.py (or bash
# tools/demo.sh).
_base_ = '../seg/fpn_uniformer_s_80k_ade20k.py'
# The Runner of the paper configs, named here too: the demo relies on its
# data and checkpoint checks and its CPU adaptations (also under mim).
runner_type = 'uniformer_mm.Runner'

data_root = 'data/demo/seg'
# A subset of ADE20K's classes: the dataset maps the other ADE ids to 255.
metainfo = dict(classes=('wall', 'building', 'sky', 'floor', 'tree'))
crop_size = (128, 128)  # the images are 128x128 (ADE20K config: 512x512)
channels = 64  # FPN width (256 in the paper config)

# Tiny arch: 5 blocks, 16..96 channels (UniFormer-S: 3-4-8-3, 64..512).
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        arch=dict(
            _delete_=True,  # a dict replaces the base's arch name 's'
            depths=[1, 1, 2, 1],
            embed_dims=[16, 32, 64, 96],
            head_dim=16,
            mlp_ratio=4),
        # A tiny arch has no official weights: train from scratch on purpose.
        init_cfg=None,
        drop_path_rate=0.0),
    neck=dict(in_channels=[16, 32, 64, 96], out_channels=channels),
    decode_head=dict(
        in_channels=[channels] * 4,
        channels=32,
        num_classes=len(metainfo['classes'])))

train_pipeline = [
    dict(t, scale=(512, 128)) if t['type'] == 'RandomResize' else
    dict(t, crop_size=crop_size) if t['type'] == 'RandomCrop' else t
    for t in _base_.train_pipeline
]
test_pipeline = [
    dict(t, scale=(512, 128)) if t['type'] == 'Resize' else t
    for t in _base_.test_pipeline
]
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root, metainfo=metainfo, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root, metainfo=metainfo, pipeline=test_pipeline))
test_dataloader = val_dataloader

# 240 iterations instead of 80k; same warmup + cosine shape.
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=20),
    dict(
        type='CosineAnnealingLR',
        T_max=240,
        eta_min_ratio=1e-2,
        by_epoch=False,
        begin=0,
        end=240),
]
train_cfg = dict(max_iters=240, val_interval=240)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=120, max_keep_ckpts=1),
    visualization=dict(interval=4))
