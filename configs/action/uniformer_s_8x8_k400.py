# UniFormer-S, Kinetics-400, 8 frames x stride 8 (dense sampling): the
# primitive config of this folder.
#
# Official recipe (Sense-X/UniFormer video_classification/exp/
# uniformer_s8x8_k400/run.sh + config.yaml, SlowFast code base): backbone
# inflated from the ImageNet-1k UniFormer-S (average over time), 8 GPUs x 16
# videos, each sampled twice (repeated augmentation, same frames), AdamW lr
# 4e-4, weight decay 0.05 except on 1-D parameters, 10 warmup epochs from
# 1e-6, cosine to 1e-6 over 100 epochs, RandAugment (m7, n4), random resized
# crop (area 0.08-1, ratio 3/4-4/3) to 224, flip, random erasing 0.25, Mixup
# 0.8 / CutMix 1.0, label smoothing 0.1, head dropout 0.5, drop path 0.1,
# mixed precision (pass --amp on GPUs). Test (test.sh): 4 clips x 1 centre
# crop, short side 224, softmax scores averaged.
# RandAugment: uniformer_mm.ClipRandAugment (timm's rand-m7-n4-mstd0.5-inc1,
# the same ops on every frame of a clip; needs mmpretrain).
_base_ = [
    'mmaction::_base_/models/i3d_r50.py',
    'mmaction::_base_/default_runtime.py',
]
custom_imports = dict(imports=['uniformer_mm'], allow_failed_imports=False)
# checks and CPU adaptations (uniformer_mm/engine/runner.py), also under mim
runner_type = 'uniformer_mm.Runner'

# Backbone initialisation: the official ImageNet-1k UniFormer-S (2D, inflated
# to 3D on load), published by OpenMMLab (mmaction2's copy of
# `uniformer_small_in1k.pth`): downloaded once into the torch hub cache,
# hash-checked, loaded as released (no conversion). A child config changes
# it with one line, `pretrained = 'PATH or URL'` (or
# model.backbone.init_cfg.checkpoint), or trains from scratch on purpose
# with `model = dict(backbone=dict(init_cfg=None))`.
model = dict(
    backbone=dict(
        _delete_=True,
        type='uniformer_mm.UniFormer',
        arch='s',
        in_channels=3,
        video=True,
        out_indices=(3, ),
        out_norm='BN',
        attn_modes=('global', 'global'),
        drop_path_rate=0.1,
        layer_scale_init_value=1e-6,
        embed_temporal_kernel=1,
        inflate_mode='average',
        norm_cfg=dict(type='BN'),
        frozen_stages=-1,
        norm_eval=False,
        with_cp=False,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_small_in1k_20221219-fe0a7ae0.pth')),
    cls_head=dict(
        type='I3DHead',
        num_classes=400,
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=0.5,
        init_std=0.02,
        label_smooth_eps=0.1,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW',
        blending=dict(
            type='RandomBatchAugment',
            augments=[
                dict(type='MixupBlending', alpha=0.8, num_classes=400),
                dict(type='CutmixBlending', alpha=1, num_classes=400),
            ])))

dataset_type = 'VideoDataset'
data_root = 'data/kinetics400/videos_train'
data_root_val = 'data/kinetics400/videos_val'
ann_file_train = 'data/kinetics400/kinetics400_train_list_videos.txt'
ann_file_val = 'data/kinetics400/kinetics400_val_list_videos.txt'
ann_file_test = 'data/kinetics400/kinetics400_val_list_videos.txt'

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=8, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='uniformer_mm.ClipRandAugment', magnitude=7, num_layers=4),
    dict(
        type='RandomResizedCrop',
        area_range=(0.08, 1.0),
        aspect_ratio_range=(3 / 4, 4 / 3)),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='RandomErasing', erase_prob=0.25, mode='rand'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=8,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 224)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
# Test: the validation pipeline with 4 clips per video.
test_pipeline = [
    dict(t, num_clips=4) if t['type'] == 'SampleFrames' else t
    for t in val_pipeline
]

# 8 GPUs x 16 videos, each sampled twice (32 clips per GPU).
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='repeat_pseudo_collate'),
    dataset=dict(
        type='RepeatAugDataset',
        num_repeats=2,
        sample_once=True,
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root_val),
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        ann_file=ann_file_test,
        data_prefix=dict(video=data_root_val),
        pipeline=test_pipeline,
        test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator

train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=100, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=4e-4, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(
        norm_decay_mult=0.0, bias_decay_mult=0.0, flat_decay_mult=0.0))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-6 / 4e-4,
        by_epoch=True,
        begin=0,
        end=10,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=90,
        eta_min=1e-6,
        by_epoch=True,
        begin=10,
        end=100,
        convert_to_iter_based=True),
]
# uniformer_mm.PretrainedHook applies a child's `pretrained`, skips the
# backbone file when the run resumes, and stops at once, naming the file, if
# a local one is missing.
# uniformer_mm.RankZeroLoggerHook: the test metrics json is written once.
# uniformer_mm_atomic_local: checkpoints appear complete or not at all.
default_hooks = dict(
    pretrained=dict(type='uniformer_mm.PretrainedHook'),
    logger=dict(type='uniformer_mm.RankZeroLoggerHook'),
    # Draws NCTHW clips (mmaction2 1.2's VisualizationHook cannot); same
    # arguments, so --show-dir of tools/test.py and of mim test use it.
    visualization=dict(type='uniformer_mm.ClipVisualizationHook',
                       enable=False),
    checkpoint=dict(
        interval=1,
        max_keep_ckpts=5,
        backend_args=dict(backend='uniformer_mm_atomic_local')))

auto_scale_lr = dict(enable=False, base_batch_size=128)
