# UniFormer-XS, ImageNet-1k at 224x224 (official
# image_classification/exp_light/xs_224/run.sh): the XS-192 recipe at 224 px;
# evaluation resize 256, centre crop 224; 8 GPUs x 512.
_base_ = './uniformer_xs_600e_in1k-192px.py'

train_pipeline = [
    dict(t, scale=224) if t['type'] == 'RandomResizedCrop' else t
    for t in _base_.train_dataloader.dataset.pipeline
]
test_pipeline = [
    dict(t, scale=256) if t['type'] == 'ResizeEdge' else
    dict(t, crop_size=224) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_dataloader.dataset.pipeline
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
