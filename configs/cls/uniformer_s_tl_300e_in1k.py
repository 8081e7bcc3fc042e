# UniFormer-S trained with Token Labeling (head_dim 32), ImageNet-1k 224x224.
#
# Official recipe (image_classification/token_labeling/exp/
# uniformer_small_tl_224/run.sh on the LV-ViT code base): 8 GPUs x 128
# images, AdamW lr 1.6e-3 (not rescaled), weight decay 0.05 except on 1-D
# parameters, 5 warmup epochs from 1e-6, cosine to 1e-5, 300 epochs,
# RandAugment rand-m9-mstd0.5-inc1, random erasing 0.25, label smoothing 0.1,
# no Mixup/CutMix (MixToken instead), drop path 0.1, model EMA 0.99992, apex
# mixed precision (use --amp). Evaluation (validate.py): crop_pct 0.9, i.e.
# resize 248 (bicubic), centre crop 224, logits = fc(mean) + 0.5 x max over
# tokens of aux_fc (TokenLabelingClsHead).
#
# Token labeling as the official training: dense NFNet-F6 label maps
# (uniformer_mm.LoadTokenLabel, token_label_root), tracked through flip,
# RandAugment and crop; MixToken on the stem tokens
# (uniformer_mm.TokenLabelingClassifier); loss = CE(fc(mean), image target) +
# CE(aux_fc(token), token target), soft targets, smoothing 0.1
# (TokenLabelingClsHead, the official --dense-weight 1 and --cls-weight 1).
# Not reproduced: LV-ViT's random (bilinear/bicubic) train interpolation,
# and the official crop of the label map in transposed coordinates (see
# README.md). Pipeline and label maps: _base_/token_label.py.
_base_ = ['./uniformer_s_300e_in1k.py', './_base_/token_label.py']

model = dict(
    type='uniformer_mm.TokenLabelingClassifier',
    mix_token_alpha=1.0,
    backbone=dict(arch='s-tl', drop_path_rate=0.1),
    neck=None,
    # Classes, width and init of the base head; the head's defaults are the
    # official ones (aux_weight 0.5, cls/dense weights 1, smoothing 0.1).
    head=dict(
        type='uniformer_mm.TokenLabelingClsHead',
        loss=dict(_delete_=True, type='CrossEntropyLoss', use_soft=True)),
    train_cfg=None)

test_pipeline = [
    dict(t, scale=248) if t['type'] == 'ResizeEdge' else t
    for t in _base_.val_dataloader.dataset.pipeline
]
# 8 GPUs x 128 images; no repeated augmentation in the LV-ViT code.
train_dataloader = dict(
    batch_size=128,
    sampler=dict(type='DefaultSampler', shuffle=True),
    # token labeling: see _base_/token_label.py (label maps: token_label_root)
    dataset=dict(pipeline=_base_.token_label_train_pipeline))
val_dataloader = dict(batch_size=128, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(optimizer=dict(lr=1.6e-3, weight_decay=0.05))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1.6e-3),
    _base_.param_scheduler[1],
]
custom_hooks = [dict(type='EMAHook', momentum=8e-5, priority='ABOVE_NORMAL')]
