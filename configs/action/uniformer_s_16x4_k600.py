# UniFormer-S, Kinetics-600, 16x4 (official exp/uniformer_s16x4_k600/run.sh):
# the K400 recipe with 600 classes, 8 GPUs x 12 videos, lr 3e-4, 110 epochs,
# drop path 0.1; test 4 clips x 1 crop.
_base_ = ['./uniformer_s_16x4_k400.py', './_base_/k600.py']

model = _base_.kinetics600_model

# 8 GPUs x 12 videos (each sampled twice).
train_dataloader = dict(
    batch_size=12,
    dataset=_base_.kinetics600_train_dataset)
val_dataloader = dict(dataset=_base_.kinetics600_val_dataset)
test_dataloader = val_dataloader
auto_scale_lr = dict(enable=False, base_batch_size=96)

optim_wrapper = dict(optimizer=dict(lr=3e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 3e-4),
    _base_.param_scheduler[1],
]
