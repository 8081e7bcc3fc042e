# Mask R-CNN UniFormer-S 1x (mask_rcnn_uniformer_s_1x.py) with layer-wise lr
# decay (uniformer_mm.LayerDecayOptimWrapperConstructor), as the ConvNeXt and
# ViTDet detectors of mmdet fine-tune their ImageNet backbones: neck and
# heads at lr 2e-4, each backbone layer at 0.9x the one above, the stem at
# 0.9**19 = 13.5%. A starting point, not tuned here; 8 GPUs x 2 images,
# AdamW, weight decay 0.05 (none on norms), 12 epochs as the 1x recipe.
_base_ = './mask_rcnn_uniformer_s_1x.py'

optim_wrapper = dict(
    optimizer=dict(lr=2e-4),
    constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.9))
