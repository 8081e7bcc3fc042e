# Top-down heatmap pose, UniFormer-S, COCO 448x320 (official
# exp/top_down_448x320_global_small): the 256x192 recipe at 448x320 input
# (heatmap 112x80, sigma 3) with 8 GPUs x 64 images and AdamW lr 1e-3.
_base_ = './topdown_heatmap_uniformer_s_210e_coco_256x192.py'

codec = dict(
    type='MSRAHeatmap', input_size=(320, 448), heatmap_size=(80, 112), sigma=3)

model = dict(head=dict(decoder=codec))

train_pipeline = [
    dict(t, input_size=codec['input_size']) if t['type'] == 'TopdownAffine'
    else dict(t, encoder=codec) if t['type'] == 'GenerateTarget' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(t, input_size=codec['input_size']) if t['type'] == 'TopdownAffine'
    else t for t in _base_.val_pipeline
]
# 8 GPUs x 64 images.
train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
auto_scale_lr = dict(base_batch_size=512)

optim_wrapper = dict(optimizer=dict(lr=1e-3))
