# UniFormer-XXS, ImageNet-1k at 192x192 (official
# image_classification/exp_light/xxs_192/run.sh): the XXS-128 recipe at
# 192 px; evaluation resize int(192 x 256 / 224) = 219, centre crop 192;
# 8 GPUs x 512.
_base_ = './uniformer_xxs_600e_in1k-128px.py'

train_pipeline = [
    dict(t, scale=192) if t['type'] == 'RandomResizedCrop' else t
    for t in _base_.train_dataloader.dataset.pipeline
]
test_pipeline = [
    dict(t, scale=219) if t['type'] == 'ResizeEdge' else
    dict(t, crop_size=192) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_dataloader.dataset.pipeline
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
