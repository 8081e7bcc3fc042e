# Top-down heatmap UniFormer-S, COCO 256x192
# (topdown_heatmap_uniformer_s_210e_coco_256x192.py), with layer-wise lr
# decay (uniformer_mm.LayerDecayOptimWrapperConstructor), as ViTPose
# fine-tunes its ImageNet backbone: the heatmap head at lr 2e-3, each
# backbone layer at 0.85x the one above, the stem at 0.85**19 = 4.6%. A
# starting point, not tuned here; 8 GPUs x 128 images, AdamW, weight decay
# 0.01 (none on norms and biases), 210 epochs as the base recipe.
_base_ = './topdown_heatmap_uniformer_s_210e_coco_256x192.py'

optim_wrapper = dict(
    constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        layer_decay_rate=0.85, norm_decay_mult=0., bias_decay_mult=0.))
