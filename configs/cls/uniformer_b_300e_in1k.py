# UniFormer-B, ImageNet-1k 224x224. Official run.sh (uniformer_base):
# 8 GPUs x 128, lr 4e-4 x 1024 / 512, drop path 0.3, otherwise the S recipe.
_base_ = './uniformer_s_300e_in1k.py'

model = dict(backbone=dict(arch='b', drop_path_rate=0.3))
optim_wrapper = dict(optimizer=dict(lr=4e-4 * 1024 / 512))
# The warmup starts at 1e-6 whatever the peak lr.
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 8e-4),
    _base_.param_scheduler[1],
]
