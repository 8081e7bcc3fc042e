# UniFormer-S (token labeling, head_dim 32) fine-tuned at 384x384.
#
# Official recipe (token_labeling/exp/uniformer_small_tl_384/run.sh): start
# from the 224 token-labeling model (`load_from` below), 8 GPUs x 64
# images, 50 epochs, constant lr 5e-6 (no warmup, min lr = lr), weight decay
# 1e-8, drop path 0.1, apex mixed precision (use --amp). Evaluation
# (test.sh, validate.py): crop_pct 0.9, i.e. resize int(384 / 0.9) = 426,
# centre crop 384, token-labeling logits. Training: token labeling with
# MixToken as the 224 run (see uniformer_s_tl_300e_in1k.py), label maps
# pooled to the 12x12 token grid (the official --token-label-size 12).
_base_ = ['./uniformer_s_300e_in1k.py', './_base_/token_label.py']

# Start: the official 224 token-labeling model `uniformer_small_tl_224.pth`
# (Sense-X/UniFormer token-labeling model zoo), converted once with
#   python tools/model_converters/uniformer_to_mm.py \
#       uniformer_small_tl_224.pth \
#       checkpoints/uniformer_s_tl_300e_in1k.pth --task cls
load_from = 'checkpoints/uniformer_s_tl_300e_in1k.pth'

model = dict(
    type='uniformer_mm.TokenLabelingClassifier',
    backbone=dict(arch='s-tl', drop_path_rate=0.1),
    neck=None,
    # Classes, width and init of the base head; token-labeling defaults.
    head=dict(
        type='uniformer_mm.TokenLabelingClsHead',
        loss=dict(_delete_=True, type='CrossEntropyLoss', use_soft=True)),
    train_cfg=None)

# The token-labeling pipeline (_base_/token_label.py), cropping to 384.
train_pipeline = [
    dict(t, scale=384)
    if t['type'] == 'uniformer_mm.TokenLabelRandomResizedCrop' else t
    for t in _base_.token_label_train_pipeline
]
test_pipeline = [
    dict(t, scale=426) if t['type'] == 'ResizeEdge' else
    dict(t, crop_size=384) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_dataloader.dataset.pipeline
]
# 8 GPUs x 64 images = 512.
train_dataloader = dict(
    batch_size=64,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=64, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(optimizer=dict(lr=5e-6, weight_decay=1e-8))
param_scheduler = [
    dict(type='ConstantLR', factor=1.0, by_epoch=True, begin=0, end=50)
]
train_cfg = dict(max_epochs=50)
auto_scale_lr = dict(base_batch_size=512)
