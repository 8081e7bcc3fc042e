# UniFormer-B, Kinetics-600, 32x4 (official exp/uniformer_b32x4_k600/run.sh,
# 4 nodes of 8 GPUs): 600 classes, 32 GPUs x 4 videos, lr 1e-4 x 4 (SlowFast
# scales the lr by the node count), 110 epochs, drop path 0.3; test 4 clips
# x 1 crop.
_base_ = ['./uniformer_s_32x4_k400.py', './_base_/k600.py']

# Backbone initialisation: the official ImageNet-1k UniFormer-B, (inflated to
# 3D).
model = dict(
    _base_.kinetics600_model,
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.3))

# 32 GPUs x 4 videos (each sampled twice).
train_dataloader = dict(
    batch_size=4,
    dataset=_base_.kinetics600_train_dataset)
val_dataloader = dict(dataset=_base_.kinetics600_val_dataset)
test_dataloader = val_dataloader
auto_scale_lr = dict(enable=False, base_batch_size=128)

optim_wrapper = dict(optimizer=dict(lr=4e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 4e-4),
    _base_.param_scheduler[1],
]
