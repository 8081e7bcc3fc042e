# UperNet, UniFormer-B (global attention), ADE20K 160k (official
# exp/upernet_global_base): the S UperNet recipe with drop path 0.4 and
# gradient checkpointing of the first 2 stage-3 blocks; 8 GPUs x 2.
_base_ = './upernet_uniformer_s_160k_ade20k.py'

# Backbone: the official ImageNet-1k UniFormer-B.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.4, with_cp=(0, 0, 2, 0)))
