# Demo: action recognition on the generated Kinetics-format mp4 clips (4
# classes: a square that moves down, moves up, grows or shrinks), a tiny
# video UniFormer on CPU. Recognizer, sampling (8 frames x stride 8),
# repeated augmentation, Mixup/CutMix, optimizer and top-1 metric come from
# the paper config. Data: python tools/dataset_converters/make_demo_data.py
# (or bash tools/demo.sh).
_base_ = '../action/uniformer_s_8x8_k400.py'
# The Runner of the paper configs, named here too: the demo relies on its
# data and checkpoint checks and its CPU adaptations (also under mim).
runner_type = 'uniformer_mm.Runner'

data_root = 'data/demo/action/'
# The label order of the annotation files (data/demo/action/classes.txt);
# the checkpoints record these names for the inferencers.
metainfo = dict(classes=('moving_down', 'moving_up', 'growing', 'shrinking'))
num_classes = len(metainfo['classes'])

# Tiny arch: 5 blocks, 16..96 channels (UniFormer-S: 3-4-8-3, 64..512).
model = dict(
    backbone=dict(
        arch=dict(
            _delete_=True,  # a dict replaces the base's arch name 's'
            depths=[1, 1, 2, 1],
            embed_dims=[16, 32, 64, 96],
            head_dim=16,
            mlp_ratio=4),
        # A tiny arch has no official weights: train from scratch on purpose.
        init_cfg=None,
        drop_path_rate=0.0),
    cls_head=dict(num_classes=num_classes, in_channels=96),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(a, num_classes=num_classes)
            for a in _base_.model.data_preprocessor.blending.augments
        ])))

# The clips are 64x64: 96x96 crops instead of 224x224. RandAugment
# (uniformer_mm.ClipRandAugment) at the paper's small-dataset strength
# (UCF101/HMDB51: m5 n2) instead of Kinetics' m7 n4, which 96 clips and 20
# epochs do not fit (top-1 0.72 instead of 1.0 measured).
train_pipeline = [
    dict(t, scale=(-1, 112)) if t['type'] == 'Resize' and t['scale'][0] == -1
    else dict(t, scale=(96, 96)) if t['type'] == 'Resize' else
    dict(t, magnitude=5, num_layers=2)
    if t['type'] == 'uniformer_mm.ClipRandAugment' else t
    for t in _base_.train_pipeline
]
# Light evaluation: one clip, one centre crop (the paper tests 4 clips).
val_pipeline = [
    dict(t, scale=(-1, 96)) if t['type'] == 'Resize' else
    dict(t, crop_size=96) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_pipeline
]
# Tests (tools/test.py, the inferencer, MMDeploy) run the same light pipeline.
test_pipeline = val_pipeline
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        metainfo=metainfo,
        ann_file=data_root + 'train_list_videos.txt',
        data_prefix=dict(video=data_root + 'videos_train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        metainfo=metainfo,
        ann_file=data_root + 'val_list_videos.txt',
        data_prefix=dict(video=data_root + 'videos_val'),
        pipeline=val_pipeline))
test_dataloader = val_dataloader

# 96 videos / 8 = 12 iterations per epoch; 20 epochs = 240 iterations.
optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_cfg = dict(max_epochs=20, val_begin=20, val_interval=20)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=True,
        begin=0,
        end=1,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=19,
        eta_min=1e-5,
        by_epoch=True,
        begin=1,
        end=20,
        convert_to_iter_based=True),
]
default_hooks = dict(
    logger=dict(interval=12), checkpoint=dict(interval=10, max_keep_ckpts=1))
