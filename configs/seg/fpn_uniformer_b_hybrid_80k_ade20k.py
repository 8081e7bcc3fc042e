# Semantic FPN, UniFormer-B h14, ADE20K 80k (official
# fpn_seg/exp/fpn_hybrid_base): the global-B recipe with hybrid attention
# (window 14); 8 GPUs x 4.
_base_ = './fpn_uniformer_b_80k_ade20k.py'

model = dict(
    backbone=dict(attn_modes=('hybrid', 'global'), window_size=14))
