# Mask R-CNN + FPN, UniFormer-XXS (light: conv stem, hourglass token
# shrinking, global attention), COCO 1x (official
# exp_light/mask_rcnn_1x_xxs): the S-1x recipe with drop path 0, no
# checkpointing, fp32 training; 8 GPUs x 2.
_base_ = './mask_rcnn_uniformer_s_1x.py'

# Backbone: the official ImageNet-1k UniFormer-XXS, at 224, as the official
# run.sh.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xxs_224_in1k.pth'),
        arch='xxs',
        attn_modes=('global', 'global'),
        drop_path_rate=0.0,
        with_cp=False),
    neck=dict(in_channels=[56, 112, 224, 448]))
