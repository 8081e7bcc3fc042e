# Mask R-CNN + FPN, UniFormer-XS (light), COCO 1x (official
# exp_light/mask_rcnn_1x_xs): the S-1x recipe with drop path 0.15, no
# checkpointing, fp32 training; 8 GPUs x 2.
_base_ = './mask_rcnn_uniformer_s_1x.py'

# Backbone: the official ImageNet-1k UniFormer-XS, at 224, as the official
# run.sh.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xs_224_in1k.pth'),
        arch='xs',
        attn_modes=('global', 'global'),
        drop_path_rate=0.15,
        with_cp=False),
    neck=dict(in_channels=[64, 128, 256, 512]))
