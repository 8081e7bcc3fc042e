# UniFormer-B, Something-Something V2, 16 frames (uniform/segment sampling),
# fine-tuned from the Kinetics-400 or Kinetics-600 UniFormer-B (official
# exp/uniformer_b16_sthv2_prek400 and _prek600): backbone from the Kinetics
# video model (`pretrained` below), 8 GPUs x 5 videos, lr 2.5e-4, 5 warmup
# epochs, 50 epochs, drop path 0.4 from K400 or 0.5 from K600 (add
# --cfg-options model.backbone.drop_path_rate=0.5 for the K600 start), no flip,
# RandAugment (m7, n4), videos; test 1 clip x 3 crops (short side 224).
_base_ = './uniformer_s_16_sthv2.py'

# Backbone: the official Kinetics-400 UniFormer-B 16x4 video model
# (`uniformer_base_k400_16x4.pth`, Sense-X/UniFormer video model zoo), loaded
# as released; its 400-way head is skipped. For the Kinetics-600 start:
# --cfg-options pretrained=checkpoints/uniformer_base_k600_16x4.pth
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_base_k400_16x4.pth'),
        arch='b', drop_path_rate=0.4))

# 8 GPUs x 5 videos.
train_dataloader = dict(batch_size=5)
auto_scale_lr = dict(enable=False, base_batch_size=40)

optim_wrapper = dict(optimizer=dict(lr=2.5e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 2.5e-4),
    _base_.param_scheduler[1],
]
