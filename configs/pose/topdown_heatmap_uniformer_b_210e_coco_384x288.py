# Top-down heatmap pose, UniFormer-B, COCO 384x288 (official
# exp/top_down_384x288_global_base): the S-384x288 recipe with drop path 0.5,
# 8 GPUs x 32 images and AdamW lr 5e-4.
_base_ = './topdown_heatmap_uniformer_s_210e_coco_384x288.py'

# Backbone: the official ImageNet-1k UniFormer-B.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.5))
# 8 GPUs x 32 images.
train_dataloader = dict(batch_size=32)
optim_wrapper = dict(optimizer=dict(lr=5e-4))
auto_scale_lr = dict(base_batch_size=256)
