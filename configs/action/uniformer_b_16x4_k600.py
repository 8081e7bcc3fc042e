# UniFormer-B, Kinetics-600, 16x4 (official exp/uniformer_b16x4_k600/run.sh):
# 600 classes, 8 GPUs x 5 videos, lr 1.25e-4, 110 epochs, drop path 0.3;
# test 4 clips x 1 crop.
_base_ = './uniformer_s_16x4_k400.py'

model = dict(
    backbone=dict(arch='b', drop_path_rate=0.3),
    cls_head=dict(num_classes=600),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(a, num_classes=600)
            for a in _base_.model.data_preprocessor.blending.augments
        ])))

# 8 GPUs x 5 videos (each sampled twice).
train_dataloader = dict(
    batch_size=5,
    dataset=dict(
        ann_file='data/kinetics600/kinetics600_train_list_videos.txt',
        data_prefix=dict(video='data/kinetics600/videos_train')))
val_dataloader = dict(
    dataset=dict(
        ann_file='data/kinetics600/kinetics600_val_list_videos.txt',
        data_prefix=dict(video='data/kinetics600/videos_val')))
test_dataloader = val_dataloader
auto_scale_lr = dict(enable=False, base_batch_size=40)

optim_wrapper = dict(optimizer=dict(lr=1.25e-4))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1.25e-4),
    _base_.param_scheduler[1],
]
