# UniFormer-S, Something-Something V2, 32 frames (uniform/segment sampling),
# fine-tuned from the Kinetics-400 or Kinetics-600 UniFormer-S
# (official exp/uniformer_s32_sthv2_prek400 and _prek600): the S-16 recipe
# with 32 frames (8 GPUs x 4 videos, lr 2e-4, 5 warmup epochs, 50 epochs,
# drop path 0.3, videos); test 1 clip x 3 crops (short side 224).
_base_ = './uniformer_s_16_sthv2.py'

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
