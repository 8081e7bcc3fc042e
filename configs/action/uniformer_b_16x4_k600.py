# UniFormer-B, Kinetics-600, 16x4 (official exp/uniformer_b16x4_k600/run.sh):
# 600 classes, 8 GPUs x 5 videos, lr 1.25e-4, 110 epochs, drop path 0.3;
# test 4 clips x 1 crop.
_base_ = ['./uniformer_s_16x4_k400.py', './_base_/k600.py']

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

# 8 GPUs x 5 videos (each sampled twice).
train_dataloader = dict(
    batch_size=5,
    dataset=_base_.kinetics600_train_dataset)
val_dataloader = dict(dataset=_base_.kinetics600_val_dataset)
test_dataloader = val_dataloader
auto_scale_lr = dict(enable=False, base_batch_size=40)

optim_wrapper = dict(optimizer=dict(lr=1.25e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1.25e-4),
    _base_.param_scheduler[1],
]
