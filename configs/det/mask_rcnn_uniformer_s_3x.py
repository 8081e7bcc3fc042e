# Mask R-CNN + FPN, UniFormer-S h14, COCO, 3x schedule with multi-scale
# training (official exp/mask_rcnn_3x_ms_hybrid_small): DETR-style
# augmentation (random flip; either a random short side of 480..800 or a
# 400/500/600 resize + 384..600 random crop + 480..800 resize), steps at
# epochs 27 and 33 of 36, drop path 0.1, checkpointing of the 8 stage-3
# blocks, otherwise the 1x recipe (8 GPUs x 2, AdamW 1e-4, fp16: --amp).
_base_ = './mask_rcnn_uniformer_s_1x.py'

model = dict(backbone=dict(drop_path_rate=0.1, with_cp=(0, 0, 8, 0)))

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
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[27, 33],
        gamma=0.1),
]
