# Semantic FPN, UniFormer-XXS (light), ADE20K 80k (official
# fpn_seg/exp_light/fpn_xxs): the S recipe with drop path 0; 8 GPUs x 4.
_base_ = './fpn_uniformer_s_80k_ade20k.py'

# Backbone: the official ImageNet-1k UniFormer-XXS, at 224, as the official
# run.sh.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xxs_224_in1k.pth'),
        arch='xxs', drop_path_rate=0.0),
    neck=dict(in_channels=[56, 112, 224, 448]))
