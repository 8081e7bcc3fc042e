# UniFormer-L (layer scale in every stage, init 1e-6) with Token Labeling,
# ImageNet-1k 224x224. Official token_labeling/exp/uniformer_large_ls_tl_224/
# run.sh: 8 GPUs x 128, lr 1.2e-3, drop path 0.4, otherwise the S
# token-labeling recipe (see uniformer_s_tl_300e_in1k.py).
_base_ = './uniformer_s_tl_300e_in1k.py'

model = dict(
    backbone=dict(
        arch='l', drop_path_rate=0.4, layer_scale_init_value=1e-6),
    head=dict(in_channels=640))
optim_wrapper = dict(optimizer=dict(lr=1.2e-3))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1.2e-3),
    _base_.param_scheduler[1],
]
