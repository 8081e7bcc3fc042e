# UniFormer-S fine-tuned at 384x384 from the 224 ImageNet-1k model, with
# layer-wise lr decay (uniformer_mm.LayerDecayOptimWrapperConstructor).
#
# Not an official recipe (the paper's 384 models are the token-labeling
# *_tl_ft50e_in1k-384px.py configs), a starting point not tuned here: 8 GPUs
# x 64 images, AdamW lr 5e-5 for the head and the last layer, decay 0.85 per
# layer down to the stem (0.85**19 = 4.6% of it), weight decay 0.05 except
# on 1-D parameters, 5 warmup epochs, cosine to 1e-6, 50 epochs, drop path
# 0.1, the 224 recipe's augmentation (RandAugment, Mixup/CutMix, random
# erasing) at 384. Evaluation: resize 438 (384 / 0.875), centre crop 384.
_base_ = './uniformer_s_300e_in1k.py'

# Start: the official 224 model `uniformer_small_in1k.pth` (Sense-X/UniFormer
# image classification model zoo) with its head, converted once with
#   python tools/model_converters/uniformer_to_mm.py \
#       uniformer_small_in1k.pth checkpoints/uniformer_s_300e_in1k.pth \
#       --task cls
load_from = 'checkpoints/uniformer_s_300e_in1k.pth'

train_pipeline = [
    dict(t, scale=384) if t['type'] == 'RandomResizedCrop' else t
    for t in _base_.train_dataloader.dataset.pipeline
]
test_pipeline = [
    dict(t, scale=438) if t['type'] == 'ResizeEdge' else
    dict(t, crop_size=384) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_dataloader.dataset.pipeline
]
# 8 GPUs x 64 images = 512.
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=64, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optim_wrapper = dict(
    optimizer=dict(lr=5e-5),
    constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.85))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-6 / 5e-5,
        by_epoch=True,
        begin=0,
        end=5,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        T_max=45,
        eta_min=1e-6,
        by_epoch=True,
        begin=5,
        end=50),
]
train_cfg = dict(max_epochs=50)
auto_scale_lr = dict(base_batch_size=512)
