# Demo: Mask R-CNN instance segmentation on the generated COCO-format shapes
# set (3 classes), a tiny UniFormer on CPU. The detector, its losses,
# samplers, pipeline steps, optimizer and evaluation (COCO bbox + segm mAP)
# are those of the paper config. Data: python
# tools/dataset_converters/make_demo_data.py (or bash tools/demo.sh).
_base_ = '../det/mask_rcnn_uniformer_s_1x.py'
# The Runner of the paper configs, named here too: the demo relies on its
# data and checkpoint checks and its CPU adaptations (also under mim).
runner_type = 'uniformer_mm.Runner'

data_root = 'data/demo/det/'
metainfo = dict(classes=('circle', 'square', 'triangle'))
num_classes = len(metainfo['classes'])
channels = 32  # FPN / RoI-head width (256 in the paper config)

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
        drop_path_rate=0.0,
        with_cp=False),
    neck=dict(in_channels=[16, 32, 64, 96], out_channels=channels),
    rpn_head=dict(in_channels=channels, feat_channels=channels),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=channels),
        bbox_head=dict(
            in_channels=channels, fc_out_channels=256,
            num_classes=num_classes),
        mask_roi_extractor=dict(out_channels=channels),
        mask_head=dict(
            in_channels=channels,
            conv_out_channels=channels,
            num_classes=num_classes)),
    # Fewer proposals and sampled RoIs than on COCO (2000 / 512): RoIAlign
    # dominates the CPU time, and the images hold 1-3 objects.
    train_cfg=dict(
        rpn_proposal=dict(max_per_img=300), rcnn=dict(sampler=dict(num=128))),
    test_cfg=dict(rpn=dict(max_per_img=300)))

# The images are 128x128: keep that size instead of resizing to 1333x800.
train_pipeline = [
    dict(t, scale=(128, 128)) if t['type'] == 'Resize' else t
    for t in _base_.train_pipeline
]
test_pipeline = [
    dict(t, scale=(128, 128)) if t['type'] == 'Resize' else t
    for t in _base_.test_pipeline
]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/instances_train2017.json',
        data_prefix=dict(img='train2017/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/instances_val2017.json',
        data_prefix=dict(img='val2017/'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/instances_val2017.json')
test_evaluator = val_evaluator

# 96 images / 4 = 24 iterations per epoch; 8 epochs = 192 iterations.
optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_cfg = dict(max_epochs=8, val_interval=8)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=50),
    dict(type='MultiStepLR', begin=0, end=8, by_epoch=True, milestones=[7]),
]
default_hooks = dict(
    logger=dict(interval=12),
    checkpoint=dict(interval=4, max_keep_ckpts=1),
    visualization=dict(interval=4))
