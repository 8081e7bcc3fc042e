# Semantic FPN, UniFormer-XS (light), ADE20K 80k (official
# fpn_seg/exp_light/fpn_xs): the S recipe with drop path 0.1; 8 GPUs x 4.
_base_ = './fpn_uniformer_s_80k_ade20k.py'

# Backbone: the official ImageNet-1k UniFormer-XS, at 224, as the official
# run.sh.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xs_224_in1k.pth'),
        arch='xs', drop_path_rate=0.1),
    neck=dict(in_channels=[64, 128, 256, 512]))
