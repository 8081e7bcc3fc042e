# UniFormer-XXS, ImageNet-1k at 160x160 (official
# image_classification/exp_light/xxs_160/run.sh): the XXS-128 recipe at
# 160 px; evaluation resize int(160 x 256 / 224) = 182, centre crop 160;
# 8 GPUs x 512.
_base_ = './uniformer_xxs_600e_in1k-128px.py'

train_pipeline = [
    dict(t, scale=160) if t['type'] == 'RandomResizedCrop' else t
    for t in _base_.train_dataloader.dataset.pipeline
]
test_pipeline = [
    dict(t, scale=182) if t['type'] == 'ResizeEdge' else
    dict(t, crop_size=160) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_dataloader.dataset.pipeline
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
