# UniFormer-B, Kinetics-400, 16x8 (official exp/uniformer_b16x8_k400/run.sh):
# drop path 0.3, 8 GPUs x 5 videos, lr 1.25e-4, 110 epochs; test 4 clips x
# 1 crop.
_base_ = './uniformer_s_16x8_k400.py'

# Backbone initialisation: the official ImageNet-1k UniFormer-B, (inflated to
# 3D).
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.3))

# 8 GPUs x 5 videos.
train_dataloader = dict(batch_size=5)
auto_scale_lr = dict(enable=False, base_batch_size=40)

optim_wrapper = dict(optimizer=dict(lr=1.25e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1.25e-4),
    _base_.param_scheduler[1],
]
