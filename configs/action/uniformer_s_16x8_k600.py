# UniFormer-S, Kinetics-600, 16x8 (official exp/uniformer_s16x8_k600/run.sh):
# 600 classes, 8 GPUs x 4 videos, lr 1e-4, 110 epochs, drop path 0.1; test
# 4 clips x 1 crop.
_base_ = './uniformer_s_16x8_k400.py'

model = dict(
    cls_head=dict(num_classes=600),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(a, num_classes=600)
            for a in _base_.model.data_preprocessor.blending.augments
        ])))

train_dataloader = dict(
    dataset=dict(
        ann_file='data/kinetics600/kinetics600_train_list_videos.txt',
        data_prefix=dict(video='data/kinetics600/videos_train')))
val_dataloader = dict(
    dataset=dict(
        ann_file='data/kinetics600/kinetics600_val_list_videos.txt',
        data_prefix=dict(video='data/kinetics600/videos_val')))
test_dataloader = val_dataloader
