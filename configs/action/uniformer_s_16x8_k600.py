# UniFormer-S, Kinetics-600, 16x8 (official exp/uniformer_s16x8_k600/run.sh):
# 600 classes, 8 GPUs x 4 videos, lr 1e-4, 110 epochs, drop path 0.1; test
# 4 clips x 1 crop.
_base_ = ['./uniformer_s_16x8_k400.py', './_base_/k600.py']

model = _base_.kinetics600_model

train_dataloader = dict(dataset=_base_.kinetics600_train_dataset)
val_dataloader = dict(dataset=_base_.kinetics600_val_dataset)
test_dataloader = val_dataloader
