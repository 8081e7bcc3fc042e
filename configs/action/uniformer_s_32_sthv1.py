# UniFormer-S, Something-Something V1, 32 frames (uniform/segment sampling),
# fine-tuned from the Kinetics-400 or Kinetics-600 UniFormer-S (official
# exp/uniformer_s32_sthv1_prek400 and _prek600): the S-16 recipe with 32
# frames (8 GPUs x 4 videos, lr 2e-4, 5 warmup epochs, 60 epochs, rawframes);
# drop path 0.2 from K400 or 0.3 from K600 (add --cfg-options
# model.backbone.drop_path_rate=0.3 for the K600 start); test 1 clip x 3
# crops (short side 224).
_base_ = './uniformer_s_16_sthv1.py'

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
