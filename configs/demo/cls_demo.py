# Demo: image classification on the generated shapes set (4 classes), a tiny
# UniFormer on CPU in about a minute. Everything else -- model type, pipeline,
# augmentation (RandAugment, Mixup/CutMix, random erasing), optimizer -- is
# inherited from the paper config. Data: python
# tools/dataset_converters/make_demo_data.py (or bash tools/demo.sh).
_base_ = '../cls/uniformer_s_300e_in1k.py'
# The Runner of the paper configs, named here too: the demo relies on its
# data and checkpoint checks and its CPU adaptations (also under mim).
runner_type = 'uniformer_mm.Runner'

data_root = 'data/demo/cls'
classes = ('circle', 'square', 'triangle', 'cross')

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
    head=dict(num_classes=len(classes), in_channels=96))
data_preprocessor = dict(num_classes=len(classes))  # Mixup/CutMix one-hot

# 96x96 crops instead of 224x224 (the images are 64x64).
train_pipeline = [
    dict(t, scale=96) if t['type'] == 'RandomResizedCrop' else t
    for t in _base_.train_pipeline
]
test_pipeline = [
    dict(t, scale=110) if t['type'] == 'ResizeEdge' else
    dict(t, crop_size=96) if t['type'] == 'CenterCrop' else t
    for t in _base_.test_pipeline
]
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        metainfo=dict(classes=classes),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        metainfo=dict(classes=classes),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
# --tta: the base's flip TTA over this test pipeline.
tta_pipeline = [
    test_pipeline[0],
    dict(
        type='TestTimeAug',
        transforms=[[t] for t in test_pipeline[1:-1]] +
        [_base_.tta_pipeline[1]['transforms'][-2], [test_pipeline[-1]]])
]
val_evaluator = dict(topk=(1, ))  # 4 classes: no top-5
test_evaluator = val_evaluator

# 192 images / 32 = 6 iterations per epoch; 40 epochs = 240 iterations.
train_cfg = dict(max_epochs=40, val_interval=40)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=2),
    dict(
        type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=2,
        end=40),
]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=20, max_keep_ckpts=1),
    visualization=dict(interval=8))
