# UniFormer-S, ImageNet-1k, 224x224: the primitive config of this folder.
#
# Official recipe (Sense-X/UniFormer image_classification/exp/uniformer_small/
# run.sh on the DeiT code base): 8 GPUs x 128 images, AdamW with
# lr = 5e-4 x 1024 / 512, weight decay 0.05 except on 1-D parameters (norms,
# biases), 5 linear warmup epochs from 1e-6, cosine to 1e-5, 300 epochs,
# RandAugment rand-m9-mstd0.5-inc1, random erasing 0.25, Mixup 0.8 / CutMix
# 1.0 (one of the two per batch), label smoothing 0.1, repeated augmentation,
# drop path 0.1; evaluation: resize 256 (bicubic), centre crop 224.
# The official runs used mixed precision: add --amp on GPUs.
_base_ = [
    'mmpretrain::_base_/datasets/imagenet_bs64_swin_224.py',
    'mmpretrain::_base_/schedules/imagenet_bs1024_adamw_swin.py',
    'mmpretrain::_base_/default_runtime.py',
]
custom_imports = dict(imports=['uniformer_mm'], allow_failed_imports=False)
# checks and CPU adaptations (uniformer_mm/engine/runner.py), also under mim
runner_type = 'uniformer_mm.Runner'

model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='uniformer_mm.UniFormer',
        arch='s',
        in_channels=3,
        video=False,
        out_indices=(3, ),
        out_norm='BN',
        attn_modes=('global', 'global'),
        window_size=14,
        drop_path_rate=0.1,
        layer_scale_init_value=1e-6,
        norm_cfg=dict(type='BN'),
        frozen_stages=-1,
        norm_eval=False,
        # No init_cfg: ImageNet training starts from the official random
        # initialisation (the paper's recipe). A child config fine-tunes
        # from a backbone checkpoint with init_cfg=dict(type='Pretrained',
        # checkpoint=PATH).
        with_cp=False),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=512,
        loss=dict(
            type='LabelSmoothLoss', label_smooth_val=0.1, mode='original'),
        init_cfg=dict(type='TruncNormal', layer='Linear', std=.02)),
    train_cfg=dict(augments=[
        dict(type='Mixup', alpha=0.8),
        dict(type='CutMix', alpha=1.0),
    ]))

# 8 GPUs x 128 images; DeiT's repeated augmentation (3 repeats).
train_dataloader = dict(
    batch_size=128, sampler=dict(type='RepeatAugSampler', shuffle=True))
val_dataloader = dict(batch_size=192)
test_dataloader = val_dataloader

# Test-time augmentation (tools/test.py --tta): the test pipeline, each
# image also flipped, the class scores of the two averaged.
tta_model = dict(type='AverageClsScoreTTA')
tta_pipeline = [
    _base_.test_pipeline[0],  # LoadImageFromFile
    dict(
        type='TestTimeAug',
        transforms=[[t] for t in _base_.test_pipeline[1:-1]] + [[
            dict(type='RandomFlip', prob=1., direction='horizontal'),
            dict(type='RandomFlip', prob=0., direction='horizontal')
        ], [_base_.test_pipeline[-1]]])  # PackInputs
]

optim_wrapper = dict(
    optimizer=dict(
        type='AdamW',
        lr=5e-4 * 1024 / 512,
        weight_decay=0.05,
        eps=1e-8,
        betas=(0.9, 0.999)),
    # timm: no weight decay on 1-D parameters (norm weights, biases).
    paramwise_cfg=dict(
        _delete_=True,
        norm_decay_mult=0.0,
        bias_decay_mult=0.0,
        flat_decay_mult=0.0),
    clip_grad=None)

# Per-epoch schedule, as timm's CosineLRScheduler stepped by DeiT.
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-6 / 1e-3,
        by_epoch=True,
        begin=0,
        end=5),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-5,
        by_epoch=True,
        begin=5,
        end=300),
]
train_cfg = dict(by_epoch=True, max_epochs=300, val_interval=1)

auto_scale_lr = dict(base_batch_size=1024)

# uniformer_mm.PretrainedHook applies a child's top-level `pretrained` (the
# ImageNet recipes train from scratch) and stops at once, naming the file, if
# a local one is missing; it warns if `pretrained` is set while the backbone
# loads nothing.
# uniformer_mm.RankZeroLoggerHook: the test metrics json is written once.
# uniformer_mm_atomic_local: checkpoints appear complete or not at all.
default_hooks = dict(
    pretrained=dict(type='uniformer_mm.PretrainedHook'),
    logger=dict(type='uniformer_mm.RankZeroLoggerHook'),
    checkpoint=dict(
        backend_args=dict(backend='uniformer_mm_atomic_local')))
