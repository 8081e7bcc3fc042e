# Token labeling (the official LV-ViT training of the *_tl_* configs): a
# mixin, inherited next to the ImageNet primitive
# (_base_ = ['./uniformer_s_300e_in1k.py', './_base_/token_label.py']).
#
# The token-labeling training pipeline at 224 (official LV-ViT order: flip,
# RandAugment, crop; the dense label map of each image follows the geometric
# steps, the crop is recorded for the head). RandAugment, crop and random
# erasing are those of the primitive's mmpretrain pipeline
# (imagenet_bs64_swin_224.py: rand-m9-mstd0.5-inc1, bicubic 224 crop, erasing
# 0.25) in their token-label versions. The label maps (NFNet-F6 top-5,
# <token_label_root>/<class folder>/<image stem>.pt) are the official
# --token-label-data; the 384 fine-tuning swaps the crop size.
token_label_root = 'data/imagenet/label_top5_train_nfnet'
token_label_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='uniformer_mm.LoadTokenLabel', label_root=token_label_root),
    dict(type='uniformer_mm.TokenLabelRandomFlip', prob=0.5),
    dict(
        type='uniformer_mm.TokenLabelRandAugment',
        policies='timm_increasing',
        num_policies=2,
        total_level=10,
        magnitude_level=9,
        magnitude_std=0.5,
        hparams=dict(pad_val=[104, 116, 124], interpolation='bicubic')),
    dict(
        type='uniformer_mm.TokenLabelRandomResizedCrop',
        scale=224,
        backend='pillow',
        interpolation='bicubic'),
    dict(
        type='RandomErasing',
        erase_prob=0.25,
        mode='rand',
        min_area_ratio=0.02,
        max_area_ratio=1 / 3,
        fill_color=[103.53, 116.28, 123.675],
        fill_std=[57.375, 57.12, 58.395]),
    dict(type='PackInputs', algorithm_keys=['token_label', 'token_label_box']),
]
