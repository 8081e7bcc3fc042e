# Semantic FPN, UniFormer-B (global attention), ADE20K 80k (official
# fpn_seg/exp/fpn_global_base): the S recipe with drop path 0.2; 8 GPUs x 4.
_base_ = './fpn_uniformer_s_80k_ade20k.py'

# Backbone: the official ImageNet-1k UniFormer-B.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.2))
