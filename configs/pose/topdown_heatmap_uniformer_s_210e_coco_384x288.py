# Top-down heatmap pose, UniFormer-S, COCO 384x288 (official
# exp/top_down_384x288_global_small): the 256x192 recipe at 384x288 input
# (heatmap 96x72, sigma 3) with 8 GPUs x 128 images and AdamW lr 2e-3.
_base_ = './topdown_heatmap_uniformer_s_210e_coco_256x192.py'

codec = dict(
    type='MSRAHeatmap', input_size=(288, 384), heatmap_size=(72, 96), sigma=3)

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
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
