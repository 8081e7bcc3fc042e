# UperNet, UniFormer-B h14, ADE20K 160k (official exp/upernet_hybrid_base):
# the B UperNet recipe (drop path 0.4, gradient checkpointing of the first 2
# stage-3 blocks) with hybrid attention (window 14); 8 GPUs x 2.
_base_ = './upernet_uniformer_s_160k_ade20k.py'

# Backbone: the official ImageNet-1k UniFormer-B.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b',
        attn_modes=('hybrid', 'global'),
        window_size=14,
        drop_path_rate=0.4,
        with_cp=(0, 0, 2, 0)))
