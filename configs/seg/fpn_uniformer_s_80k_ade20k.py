# Semantic FPN, UniFormer-S (global attention), ADE20K 512x512, 80k
# iterations: the primitive config of this folder.
#
# Official recipe (Sense-X/UniFormer semantic_segmentation/fpn_seg/exp/
# fpn_global_small, following PVT): 8 GPUs x 4 images, AdamW lr 2e-4 (PVT's
# 1e-4 doubled for 8 GPUs), weight decay 1e-4 on every parameter, linear
# warmup of 1000 iterations from 0.1 x lr, cosine to 1e-8 x lr, 80k
# iterations, evaluation and checkpoints every 4k; drop path 0.1. Test:
# single scale, short side 512 (long side <= 2048) rounded up to a multiple
# of 32 (PVT's AlignResize = mmseg's ResizeToMultiple), whole image.
# Multi-scale + flip: `--tta` (mmseg's ADE20K tta_pipeline, ratios
# 0.5..1.75), see README.md. Backbone initialised from the ImageNet-1k
# UniFormer-S.
_base_ = [
    'mmseg::_base_/models/fpn_r50.py',
    'mmseg::_base_/datasets/ade20k.py',
    'mmseg::_base_/default_runtime.py',
    'mmseg::_base_/schedules/schedule_80k.py',
]
custom_imports = dict(imports=['uniformer_mm'], allow_failed_imports=False)
# checks and CPU adaptations (uniformer_mm/engine/runner.py), also under mim
runner_type = 'uniformer_mm.Runner'

# Backbone initialisation: the official ImageNet-1k UniFormer-S, published
# by OpenMMLab (mmaction2's copy of `uniformer_small_in1k.pth`): downloaded
# once into the torch hub cache, hash-checked, loaded as released (no
# conversion). A child config changes it with one line, `pretrained = 'PATH
# or URL'` (or model.backbone.init_cfg.checkpoint), or trains from scratch on
# purpose with `model = dict(backbone=dict(init_cfg=None))`.

crop_size = (512, 512)
model = dict(
    data_preprocessor=dict(size=crop_size),
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='uniformer_mm.UniFormer',
        arch='s',
        in_channels=3,
        video=False,
        out_indices=(0, 1, 2, 3),
        out_norm='LN',
        attn_modes=('global', 'global'),
        window_size=14,
        drop_path_rate=0.1,
        layer_scale_init_value=1e-6,
        norm_cfg=dict(type='BN'),
        frozen_stages=-1,
        norm_eval=False,
        with_cp=False,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_small_in1k_20221219-fe0a7ae0.pth')),
    neck=dict(in_channels=[64, 128, 320, 512]),
    decode_head=dict(num_classes=150))

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2048, 512), keep_ratio=True),
    dict(type='ResizeToMultiple', size_divisor=32),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs'),
]
# 8 GPUs x 4 images.
train_dataloader = dict(batch_size=4)
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=2e-4, betas=(0.9, 0.999), weight_decay=1e-4),
    clip_grad=None)
# mmcv's CosineAnnealing + linear warmup: the warmup scales the cosine value.
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
        end=1000),
    dict(
        type='CosineAnnealingLR',
        T_max=80000,
        eta_min_ratio=1e-8,
        by_epoch=False,
        begin=0,
        end=80000),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=80000, val_interval=4000)
# uniformer_mm.PretrainedHook applies a child's `pretrained`, skips the
# backbone file when the run resumes, and stops at once, naming the file, if
# a local one is missing.
# uniformer_mm.RankZeroLoggerHook: the test metrics json is written once.
# uniformer_mm_atomic_local: checkpoints appear complete or not at all.
default_hooks = dict(
    pretrained=dict(type='uniformer_mm.PretrainedHook'),
    logger=dict(type='uniformer_mm.RankZeroLoggerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=4000,
        backend_args=dict(backend='uniformer_mm_atomic_local')))

auto_scale_lr = dict(enable=False, base_batch_size=32)
