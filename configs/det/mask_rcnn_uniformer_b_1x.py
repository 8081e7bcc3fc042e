# Mask R-CNN + FPN, UniFormer-B h14, COCO 1x (official
# exp/mask_rcnn_1x_hybrid_base): the S recipe with drop path 0.3 and no
# gradient checkpointing; 8 GPUs x 2, fp16 (--amp).
_base_ = './mask_rcnn_uniformer_s_1x.py'

# Backbone: the official ImageNet-1k UniFormer-B.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='https://download.openmmlab.com/mmaction/v1.0/'
            'recognition/uniformerv1/'
            'uniformer_base_in1k_20221219-82c01015.pth'),
        arch='b', drop_path_rate=0.3, with_cp=False))
