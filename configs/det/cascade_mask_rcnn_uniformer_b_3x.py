# Cascade Mask R-CNN + FPN, UniFormer-B h14, COCO 3x + multi-scale (official
# exp/cascade_mask_rcnn_3x_ms_hybrid_base): the S cascade recipe with drop
# path 0.4 and checkpointing of all 20 stage-3 blocks; 8 GPUs x 2, fp16
# (--amp).
_base_ = './cascade_mask_rcnn_uniformer_s_3x.py'

# Backbone: the official ImageNet-1k UniFormer-B.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.4, with_cp=(0, 0, 20, 0)))
