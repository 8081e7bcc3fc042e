# UniFormer-B, Kinetics-400, 32x4 (official exp/uniformer_b32x4_k400/run.sh):
# the S-32x4 recipe (8 GPUs x 4 videos, lr 1e-4, 110 epochs) with drop path
# 0.3; test 4 clips x 1 crop.
_base_ = './uniformer_s_32x4_k400.py'

# Backbone initialisation: the official ImageNet-1k UniFormer-B, (inflated to
# 3D).
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.3))
