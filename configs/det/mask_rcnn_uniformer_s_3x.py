# Mask R-CNN + FPN, UniFormer-S h14, COCO, 3x schedule with multi-scale
# training (official exp/mask_rcnn_3x_ms_hybrid_small): DETR-style
# augmentation (random flip; either a random short side of 480..800 or a
# 400/500/600 resize + 384..600 random crop + 480..800 resize), steps at
# epochs 27 and 33 of 36, drop path 0.1, checkpointing of the 8 stage-3
# blocks, otherwise the 1x recipe (8 GPUs x 2, AdamW 1e-4, fp16: --amp).
_base_ = './mask_rcnn_uniformer_s_1x.py'

model = dict(backbone=dict(drop_path_rate=0.1, with_cp=(0, 0, 8, 0)))

train_pipeline = _base_.multiscale_train_pipeline
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = _base_.schedule_3x
