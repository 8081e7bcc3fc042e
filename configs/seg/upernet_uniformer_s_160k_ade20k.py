# UperNet, UniFormer-S (global attention), ADE20K 512x512, 160k iterations.
#
# Official recipe (semantic_segmentation/exp/upernet_global_small, following
# Swin): 8 GPUs x 2 images, AdamW lr 6e-5, weight decay 0.01 (none on norm
# parameters), linear warmup of 1500 iterations from 1e-6 x lr, poly decay
# (power 1) to 0 over 160k iterations, drop path 0.25; UPerHead (512
# channels) + auxiliary FCN head on stage 3 (weight 0.4). Test: single scale
# (short side 512, whole image) or multi-scale + flip with `--tta` (ratios
# 0.5..1.75; the paper's "MS" column).
#
# It inherits the Semantic FPN primitive and swaps the neck and heads.
_base_ = './fpn_uniformer_s_80k_ade20k.py'

norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    backbone=dict(drop_path_rate=0.25),
    neck=None,
    decode_head=dict(
        _delete_=True,
        type='UPerHead',
        in_channels=[64, 128, 320, 512],
        in_index=[0, 1, 2, 3],
        pool_scales=(1, 2, 3, 6),
        channels=512,
        dropout_ratio=0.1,
        num_classes=150,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    auxiliary_head=dict(
        type='FCNHead',
        in_channels=320,
        in_index=2,
        channels=256,
        num_convs=1,
        concat_input=False,
        dropout_ratio=0.1,
        num_classes=150,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='CrossEntropyLoss', use_sigmoid=False, loss_weight=0.4)))

# Swin/mmseg test pipeline (no rounding to a multiple of 32).
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 512), keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs'),
]
# 8 GPUs x 2 images.
train_dataloader = dict(batch_size=2)
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(
    optimizer=dict(lr=6e-5, weight_decay=0.01),
    paramwise_cfg=dict(custom_keys={'norm': dict(decay_mult=0.)}))
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0,
        end=1500),
    dict(
        type='PolyLR',
        power=1.0,
        eta_min=0.0,
        by_epoch=False,
        begin=1500,
        end=160000),
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=160000, val_interval=16000)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=16000))

auto_scale_lr = dict(enable=False, base_batch_size=16)
