# UniFormer-B, Kinetics-400, 8x8 (official exp/uniformer_b8x8_k400/run.sh):
# the S-8x8 recipe with drop path 0.3, 8 GPUs x 8 videos, lr 2e-4, 100
# epochs; test 4 clips x 1 crop.
_base_ = './uniformer_s_8x8_k400.py'

# Backbone initialisation: the official ImageNet-1k UniFormer-B, (inflated to
# 3D).
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.3))

# 8 GPUs x 8 videos.
train_dataloader = dict(batch_size=8)
auto_scale_lr = dict(enable=False, base_batch_size=64)

optim_wrapper = dict(optimizer=dict(lr=2e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 2e-4),
    _base_.param_scheduler[1],
]
