# UniFormer-S, Something-Something V1, 16 frames (uniform/segment sampling),
# fine-tuned from the Kinetics-400 or Kinetics-600 UniFormer-S (official
# exp/uniformer_s16_sthv1_prek400 and _prek600): backbone from the Kinetics
# video model (`pretrained` below), 8 GPUs x 4 videos, lr 2e-4, 5 warmup
# epochs, 60 epochs, drop path 0.2, no flip, RandAugment (m7, n4), rawframes
# (no repeated sampling: mmaction2's RepeatAugDataset reads videos only); test
# 1 clip x 3 crops (short side 224).
# Note: K600: run.sh not public, assumed as K400.
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
    cls_head=dict(num_classes=174),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(a, num_classes=174)
            for a in _base_.model.data_preprocessor.blending.augments
        ])))

dataset_type = 'RawframeDataset'

# The Kinetics pipelines on rawframes, with uniform sampling and no flip.
train_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1)
    if t['type'] == 'SampleFrames' else
    dict(type='RawFrameDecode') if t['type'] == 'DecordDecode' else t
    for t in _base_.train_pipeline if t['type'] not in ('DecordInit', 'Flip')
]
val_pipeline = [
    dict(type='UniformSample', clip_len=16, num_clips=1, test_mode=True)
    if t['type'] == 'SampleFrames' else
    dict(type='RawFrameDecode') if t['type'] == 'DecordDecode' else t
    for t in _base_.val_pipeline if t['type'] != 'DecordInit'
]
test_pipeline = [
    dict(t, type='ThreeCrop') if t['type'] == 'CenterCrop' else t
    for t in val_pipeline
]
# 8 GPUs x 4 videos.
train_dataloader = dict(
    batch_size=4,
    collate_fn=dict(_delete_=True, type='pseudo_collate'),
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        ann_file='data/sthv1/sthv1_train_list_rawframes.txt',
        data_prefix=dict(img='data/sthv1/rawframes'),
        filename_tmpl='{:05}.jpg',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        ann_file='data/sthv1/sthv1_val_list_rawframes.txt',
        data_prefix=dict(img='data/sthv1/rawframes'),
        filename_tmpl='{:05}.jpg',
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = dict(
    dataset=dict(val_dataloader['dataset'], pipeline=test_pipeline))
auto_scale_lr = dict(enable=False, base_batch_size=32)

optim_wrapper = dict(optimizer=dict(lr=2e-4))
# Warmup from 1e-6 for 5 epochs, then cosine to 1e-6 at epoch 60.
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 2e-4, end=5),
    dict(_base_.param_scheduler[1], T_max=55, begin=5, end=60),
]
train_cfg = dict(max_epochs=60)
