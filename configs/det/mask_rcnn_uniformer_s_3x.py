# Mask R-CNN + FPN, UniFormer-S h14 (stage 3: 14x14 windows with every 4th
# block global; stage 4 global), COCO, 3x schedule with multi-scale training:
# the primitive config of this folder.
#
# Official recipe (Sense-X/UniFormer object_detection/exp/
# mask_rcnn_3x_ms_hybrid_small): 8 GPUs x 2 images, AdamW lr 1e-4, weight
# decay 0.05 (none on norm parameters), linear warmup 500 iterations,
# DETR-style augmentation (random flip; either a random short side of
# 480..800 or a 400/500/600 resize + 384..600 random crop + 480..800
# resize), steps at epochs 27 and 33 of 36, drop path 0.1, gradient
# checkpointing of the 8 stage-3 blocks, single-scale 1333x800 testing, fp16
# (pass --amp on GPUs). Backbone initialised from the ImageNet-1k UniFormer-S.
_base_ = 'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py'
custom_imports = dict(imports=['uniformer_mm'], allow_failed_imports=False)
# checks and CPU adaptations (uniformer_mm/engine/runner.py), also under mim
runner_type = 'uniformer_mm.Runner'

# Backbone initialisation: the official ImageNet-1k UniFormer-S, published
# by OpenMMLab (mmaction2's copy of `uniformer_small_in1k.pth`): downloaded
# once into the torch hub cache, hash-checked, loaded as released (no
# conversion). A child config changes it with one line, `pretrained = 'PATH
# or URL'` (or model.backbone.init_cfg.checkpoint), or trains from scratch on
# purpose with `model = dict(backbone=dict(init_cfg=None))`.
model = dict(
    backbone=dict(
        _delete_=True,
        type='uniformer_mm.UniFormer',
        arch='s',
        in_channels=3,
        video=False,
        out_indices=(0, 1, 2, 3),
        out_norm='LN',
        attn_modes=('hybrid', 'global'),
        window_size=14,
        drop_path_rate=0.1,
        layer_scale_init_value=1e-6,
        norm_cfg=dict(type='BN'),
        frozen_stages=-1,
        norm_eval=False,
        with_cp=(0, 0, 8, 0),
        init_cfg=dict(
            type='Pretrained',
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_small_in1k_20221219-fe0a7ae0.pth')),
    neck=dict(in_channels=[64, 128, 320, 512]))

# The official config also zeroes decay on Swin's 'absolute_pos_embed' and
# 'relative_position_bias_table', which match no UniFormer parameter.
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=1e-4,
        betas=(0.9, 0.999),
        weight_decay=0.05),
    paramwise_cfg=dict(custom_keys={'norm': dict(decay_mult=0.)}))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomFlip', prob=0.5),
    dict(
        type='RandomChoice',
        transforms=[
            [
                dict(
                    type='RandomChoiceResize',
                    scales=[(s, 1333) for s in range(480, 801, 32)],
                    keep_ratio=True)
            ],
            [
                dict(
                    type='RandomChoiceResize',
                    scales=[(400, 1333), (500, 1333), (600, 1333)],
                    keep_ratio=True),
                dict(
                    type='RandomCrop',
                    crop_type='absolute_range',
                    crop_size=(384, 600),
                    allow_negative_crop=True),
                dict(
                    type='RandomChoiceResize',
                    scales=[(s, 1333) for s in range(480, 801, 32)],
                    keep_ratio=True)
            ],
        ]),
    dict(type='PackDetInputs'),
]
# 8 GPUs x 2 images (the mmdet default of auto_scale_lr).
train_dataloader = dict(batch_size=2, dataset=dict(pipeline=train_pipeline))
auto_scale_lr = dict(enable=False, base_batch_size=16)

train_cfg = dict(max_epochs=36)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=36,
        by_epoch=True,
        milestones=[27, 33],
        gamma=0.1),
]

# uniformer_mm.PretrainedHook applies a child's `pretrained`, skips the
# backbone file when the run resumes, and stops at once, naming the file, if
# a local one is missing.
# uniformer_mm.RankZeroLoggerHook: the test metrics json is written once.
# uniformer_mm_atomic_local: checkpoints appear complete or not at all.
default_hooks = dict(
    pretrained=dict(type='uniformer_mm.PretrainedHook'),
    logger=dict(type='uniformer_mm.RankZeroLoggerHook'),
    checkpoint=dict(
        backend_args=dict(backend='uniformer_mm_atomic_local')))
