# Mask R-CNN + FPN, UniFormer-S h14 (stage 3: 14x14 windows with every 4th
# block global; stage 4 global), COCO, 1x schedule: the primitive config of
# this folder.
#
# Official recipe (Sense-X/UniFormer object_detection/exp/
# mask_rcnn_1x_hybrid_small): 8 GPUs x 2 images, AdamW lr 1e-4, weight decay
# 0.05 (none on norm parameters), linear warmup 500 iterations, steps at
# epochs 8 and 11 of 12, drop path 0.2, gradient checkpointing of the 8
# stage-3 blocks, single-scale 1333x800 training and testing, fp16 (pass
# --amp on GPUs). Backbone initialised from the ImageNet-1k UniFormer-S (see
# README.md for --cfg-options model.backbone.init_cfg...).
_base_ = 'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py'
custom_imports = dict(imports=['uniformer_mm'], allow_failed_imports=False)

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
        drop_path_rate=0.2,
        layer_scale_init_value=1e-6,
        norm_cfg=dict(type='BN'),
        frozen_stages=-1,
        norm_eval=False,
        with_cp=(0, 0, 8, 0),
        init_cfg=None),
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

# 8 GPUs x 2 images (the mmdet default of auto_scale_lr).
train_dataloader = dict(batch_size=2)
auto_scale_lr = dict(enable=False, base_batch_size=16)
