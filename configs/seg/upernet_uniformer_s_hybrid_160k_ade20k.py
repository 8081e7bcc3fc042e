# UperNet, UniFormer-S h14 (stage 3: 14x14 windows, every 4th block global),
# ADE20K 160k (official exp/upernet_hybrid_small): the global-S UperNet
# recipe with hybrid attention; 8 GPUs x 2.
_base_ = './upernet_uniformer_s_160k_ade20k.py'

model = dict(
    backbone=dict(attn_modes=('hybrid', 'global'), window_size=14))
