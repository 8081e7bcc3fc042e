# Demo: top-down heatmap pose estimation on the generated COCO-keypoint stick
# figures (13 of the 17 COCO keypoints labelled), a tiny UniFormer on CPU.
# Codec (256x192 input, 64x48 heatmaps), pipeline, loss, flip test, optimizer
# and the COCO keypoint AP metric come from the paper config. Data: python
# tools/dataset_converters/make_demo_data.py (or bash tools/demo.sh).
_base_ = '../pose/topdown_heatmap_uniformer_s_210e_coco_256x192.py'
# The Runner of the paper configs, named here too: the demo relies on its
# data and checkpoint checks and its CPU adaptations (also under mim).
runner_type = 'uniformer_mm.Runner'

data_root = 'data/demo/pose/'

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
    head=dict(in_channels=96, deconv_out_channels=(64, 64, 64)))

train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/')))
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/person_keypoints_val2017.json',
        bbox_file=None,  # ground-truth person boxes instead of a detector's
        data_prefix=dict(img='val2017/')))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root +
                     'annotations/person_keypoints_val2017.json')
test_evaluator = val_evaluator

# ~180 figures / 32 = 6 iterations per epoch; 16 epochs = 96 iterations.
optim_wrapper = dict(optimizer=dict(lr=2e-3))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=20, start_factor=0.01, by_epoch=False),
    dict(
        type='MultiStepLR',
        begin=0,
        end=16,
        milestones=[13],
        gamma=0.1,
        by_epoch=True),
]
train_cfg = dict(max_epochs=16, val_interval=16)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=8, max_keep_ckpts=1),
    visualization=dict(interval=4))
# mmpose's OpenCV drawing fails under numpy >= 2 (int() of a 1-element
# array); matplotlib draws the same, also under mim test --show-dir.
visualizer = dict(backend='matplotlib')
