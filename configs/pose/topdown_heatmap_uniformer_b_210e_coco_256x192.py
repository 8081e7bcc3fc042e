# Top-down heatmap pose, UniFormer-B, COCO 256x192 (official
# exp/top_down_256x192_global_base): the S recipe with drop path 0.4;
# 8 GPUs x 128, AdamW lr 2e-3.
_base_ = './topdown_heatmap_uniformer_s_210e_coco_256x192.py'

# Backbone: the official ImageNet-1k UniFormer-B.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.4))
