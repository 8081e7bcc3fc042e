# UniFormer-S 16x4 fine-tuned on HMDB51 split 1 from the Kinetics-400
# UniFormer-S 16x4 (official exp/uniformer_s16x4_hmdb51_prek400; its
# config.yaml says 101 classes, a slip: HMDB51 has 51): backbone from the K400
# video model (`pretrained` below), 8 GPUs x 16 videos (each sampled twice), lr
# 5e-5 (not rescaled), 5 warmup epochs, 25 epochs, drop path 0.2, RandAugment
# (m5, n2); test 5 clips x 3 crops (short side 224).
_base_ = './uniformer_s_8x8_k400.py'

# Backbone: the official Kinetics-400 UniFormer-S 16x4 video model
# (`uniformer_small_k400_16x4.pth`, Sense-X/UniFormer video model zoo), loaded
# as released; its 400-way head is skipped. For the Kinetics-600 start:
# --cfg-options pretrained=checkpoints/uniformer_small_k600_16x4.pth
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_small_k400_16x4.pth'),
        drop_path_rate=0.2),
    cls_head=dict(num_classes=51),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(a, num_classes=51)
            for a in _base_.model.data_preprocessor.blending.augments
        ])))

train_pipeline = [
    dict(t, clip_len=16, frame_interval=4)
    if t['type'] == 'SampleFrames' else
    dict(t, magnitude=5, num_layers=2)
    if t['type'] == 'uniformer_mm.ClipRandAugment' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, clip_len=16, frame_interval=4)
    if t['type'] == 'SampleFrames' else t for t in _base_.val_pipeline
]
test_pipeline = [
    dict(t, clip_len=16, frame_interval=4, num_clips=5)
    if t['type'] == 'SampleFrames' else
    dict(t, type='ThreeCrop') if t['type'] == 'CenterCrop' else t
    for t in _base_.test_pipeline
]
# 8 GPUs x 16 videos, as in the K400 base.
train_dataloader = dict(
    dataset=dict(
        ann_file='data/hmdb51/hmdb51_train_split_1_videos.txt',
        data_prefix=dict(video='data/hmdb51/videos'),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        ann_file='data/hmdb51/hmdb51_val_split_1_videos.txt',
        data_prefix=dict(video='data/hmdb51/videos'),
        pipeline=val_pipeline))
test_dataloader = dict(
    dataset=dict(
        ann_file='data/hmdb51/hmdb51_val_split_1_videos.txt',
        data_prefix=dict(video='data/hmdb51/videos'),
        pipeline=test_pipeline))

optim_wrapper = dict(optimizer=dict(lr=5e-5))
# Warmup from 1e-6 for 5 epochs, then cosine to 1e-6 at epoch 25.
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 5e-5, end=5),
    dict(_base_.param_scheduler[1], T_max=20, begin=5, end=25),
]
train_cfg = dict(max_epochs=25, val_interval=1)
