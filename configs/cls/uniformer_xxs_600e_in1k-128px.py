# UniFormer-XXS (light: conv stem, hourglass token shrinking in stages 3-4),
# ImageNet-1k at 128x128.
#
# Official recipe (image_classification/exp_light/xxs_128/run.sh): 8 GPUs x
# 512 images, lr 4e-4 x 4096 / 512, weight decay 0.1, 30 warmup epochs,
# cosine over 600 epochs, AutoAugment (timm 'v0'; mmpretrain's 'imagenet'
# policy is the closest), no repeated augmentation, no drop path, model EMA
# 0.9999 (the official logs report the better of the raw and EMA models; the
# EMAHook below evaluates the EMA weights). Evaluation: resize
# int(128 x 256 / 224) = 146, centre crop 128. Trained in fp32 officially.
_base_ = './uniformer_s_300e_in1k.py'

# Two classifiers as in the official light models: the pooled one (used
# for evaluation) and one on the final class token, trained with
# 0.5 * loss + 0.5 * loss (the head's default loss_weights); the head pools,
# so no neck.
model = dict(
    backbone=dict(arch='xxs', drop_path_rate=0.0, out_cls_token=True),
    neck=None,
    head=dict(_delete_=True, type='uniformer_mm.HourglassClsHead',
              num_classes=1000, in_channels=448, loss=_base_.model.head.loss))

train_pipeline = [
    dict(t, scale=128) if t['type'] == 'RandomResizedCrop' else
    dict(type='AutoAugment', policies='imagenet', hparams=t['hparams'])
    if t['type'] == 'RandAugment' else t
    for t in _base_.train_dataloader.dataset.pipeline
]
test_pipeline = [
    dict(t, scale=146) if t['type'] == 'ResizeEdge' else
    dict(t, crop_size=128) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_dataloader.dataset.pipeline
]
# 8 GPUs x 512 images = 4096.
train_dataloader = dict(
    batch_size=512,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=256, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(
    optimizer=dict(lr=4e-4 * 4096 / 512, weight_decay=0.1))
# Warmup from 1e-6 for 30 epochs, then cosine to 1e-5 at epoch 600.
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 3.2e-3, end=30),
    dict(_base_.param_scheduler[1], begin=30, end=600),
]
train_cfg = dict(max_epochs=600)
custom_hooks = [dict(type='EMAHook', momentum=1e-4, priority='ABOVE_NORMAL')]

auto_scale_lr = dict(base_batch_size=4096)
