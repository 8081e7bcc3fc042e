# UniFormer-B, Something-Something V1, 32 frames (uniform/segment sampling),
# fine-tuned from the Kinetics-400 or Kinetics-600 UniFormer-B
# (official exp/uniformer_b32_sthv1_prek400 and _prek600): the S-16 recipe
# with 32 frames (8 GPUs x 4 videos, lr 2e-4, 5 warmup epochs, 60 epochs,
# rawframes) and drop path 0.6; test 1 clip x 3 crops (short side 224).
# Note: K400: run.sh not public, assumed as K600.
_base_ = './uniformer_s_16_sthv1.py'

# Backbone: the official Kinetics-400 UniFormer-B 16x4 video model
# (`uniformer_base_k400_16x4.pth`, Sense-X/UniFormer video model zoo), loaded
# as released; its 400-way head is skipped. For the Kinetics-600 start:
# --cfg-options pretrained=checkpoints/uniformer_base_k600_16x4.pth
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_base_k400_16x4.pth'),
        arch='b', drop_path_rate=0.6))

train_pipeline = [
    dict(t, clip_len=32) if t['type'] == 'UniformSample' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, clip_len=32) if t['type'] == 'UniformSample' else t
    for t in _base_.val_pipeline
]
test_pipeline = [
    dict(t, clip_len=32) if t['type'] == 'UniformSample' else t
    for t in _base_.test_pipeline
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
