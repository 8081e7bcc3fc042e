# Semantic FPN, UniFormer-S h14 (stage 3: 14x14 windows, every 4th block
# global), ADE20K 80k (official fpn_seg/exp/fpn_hybrid_small): the global-S
# recipe with hybrid attention; 8 GPUs x 4.
_base_ = './fpn_uniformer_s_80k_ade20k.py'

model = dict(
    backbone=dict(attn_modes=('hybrid', 'global'), window_size=14))
