# UperNet UniFormer-S 160k (upernet_uniformer_s_160k_ade20k.py) with
# layer-wise lr decay (uniformer_mm.LayerDecayOptimWrapperConstructor), as
# mmseg's BEiT / ConvNeXt UperNets fine-tune their ImageNet backbones: decode
# and auxiliary heads at lr 1.2e-4, each backbone layer at 0.9x the one
# above, the stem at 0.9**19 = 13.5%. A starting point, not tuned here;
# 8 GPUs x 2 images, AdamW, weight decay 0.01 (none on norms), 160k iters.
_base_ = './upernet_uniformer_s_160k_ade20k.py'

optim_wrapper = dict(
    optimizer=dict(lr=1.2e-4),
    constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.9))
