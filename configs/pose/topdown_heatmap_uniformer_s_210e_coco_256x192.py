# Top-down heatmap pose estimation, UniFormer-S (global attention) + the
# SimpleBaseline head (3 deconvolutions), COCO 256x192: the primitive config of
# this folder.
#
# Official recipe (Sense-X/UniFormer pose_estimation/exp/
# top_down_256x192_global_small, mmpose 0.x / HRFormer code base): 8 GPUs x 128
# images, AdamW lr 2e-3, weight decay 0.01, linear warmup 500 iterations from
# 0.001 x lr, steps at epochs 170 and 200 of 210, drop path 0.2, MSRA heatmaps
# with sigma 2, flip / half-body (0.3) / scale 0.5 / rotation 40 augmentation
# without centre shift, fp16 (pass --amp on GPUs). Test: person boxes of the
# detector with 56 AP (COCO_val2017_detections_AP_H_56_person.json), flip test
# with shifted heatmaps, OKS-NMS 0.9. The backbone outputs the LayerNorm-ed
# stage-4 map only (the official pose model returns out[-1]).
_base_ = ('mmpose::body_2d_keypoint/topdown_heatmap/coco/'
          'td-hm_res50_8xb64-210e_coco-256x192.py')
custom_imports = dict(imports=['uniformer_mm'], allow_failed_imports=False)
# checks and CPU adaptations (uniformer_mm/engine/runner.py), also under mim
runner_type = 'uniformer_mm.Runner'

# Backbone initialisation: the official ImageNet-1k UniFormer-S, published
# by OpenMMLab (mmaction2's copy of `uniformer_small_in1k.pth`): downloaded
# once into the torch hub cache, hash-checked, loaded as released (no
# conversion). A child config changes it with one line, `pretrained = 'PATH
# or URL'` (or model.backbone.init_cfg.checkpoint), or trains from scratch on
# purpose with `model = dict(backbone=dict(init_cfg=None))`.

codec = dict(
    type='MSRAHeatmap', input_size=(192, 256), heatmap_size=(48, 64), sigma=2)

model = dict(
    backbone=dict(
        _delete_=True,
        type='uniformer_mm.UniFormer',
        arch='s',
        in_channels=3,
        video=False,
        out_indices=(3, ),
        out_norm='LN',
        attn_modes=('global', 'global'),
        window_size=14,
        drop_path_rate=0.2,
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
    head=dict(in_channels=512, out_channels=17, decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform', shift_prob=0.),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs'),
]
# 8 GPUs x 128 images.
train_dataloader = dict(
    batch_size=128, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=256, dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

# The official config also zeroes decay on 'relative_position_bias_table',
# which matches no UniFormer parameter.
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='AdamW',
        lr=2e-3,
        betas=(0.9, 0.999),
        weight_decay=0.01))
param_scheduler = [
    dict(
        type='LinearLR', begin=0, end=500, start_factor=0.001,
        by_epoch=False),
    dict(
        type='MultiStepLR',
        begin=0,
        end=210,
        milestones=[170, 200],
        gamma=0.1,
        by_epoch=True),
]
train_cfg = dict(max_epochs=210, val_interval=10)
auto_scale_lr = dict(base_batch_size=1024)

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
