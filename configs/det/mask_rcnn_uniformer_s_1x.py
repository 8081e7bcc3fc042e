# Mask R-CNN + FPN, UniFormer-S h14, COCO, 1x schedule (official
# exp/mask_rcnn_1x_hybrid_small): the 3x recipe (mask_rcnn_uniformer_s_3x.py,
# the primitive config of this folder) with mmdet's 1x training:
# single-scale 1333x800 (random flip), 12 epochs with steps at 8 and 11;
# drop path 0.2, checkpointing of the 8 stage-3 blocks, 8 GPUs x 2, AdamW
# 1e-4, fp16 (--amp).
_base_ = './mask_rcnn_uniformer_s_3x.py'

model = dict(backbone=dict(drop_path_rate=0.2))

# mmdet's coco_instance.py training pipeline and schedule_1x.py.
train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=_base_.backend_args),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='Resize', scale=(1333, 800), keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(max_epochs=12)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], end=12, milestones=[8, 11]),
]
