# UniFormer-S 16x4 fine-tuned on UCF101 split 1 from the Kinetics-400
# UniFormer-S 16x4 (official exp/uniformer_s16x4_ucf101_prek400): the HMDB51
# recipe (8 GPUs x 16 videos, lr 5e-5, 25 epochs, drop path 0.2, RandAugment
# m5 n2; test 5 clips x 3 crops) with 101 classes.
_base_ = './uniformer_s_16x4_hmdb51_prek400.py'

model = dict(
    cls_head=dict(num_classes=101),
    data_preprocessor=dict(
        blending=dict(augments=[
            dict(a, num_classes=101)
            for a in _base_.model.data_preprocessor.blending.augments
        ])))

train_dataloader = dict(
    dataset=dict(
        ann_file='data/ucf101/ucf101_train_split_1_videos.txt',
        data_prefix=dict(video='data/ucf101/videos')))
val_dataloader = dict(
    dataset=dict(
        ann_file='data/ucf101/ucf101_val_split_1_videos.txt',
        data_prefix=dict(video='data/ucf101/videos')))
test_dataloader = val_dataloader
