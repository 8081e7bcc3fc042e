# UniFormer-S 16x4 fine-tuned on HMDB51 from the Kinetics-400 video model
# (uniformer_s_16x4_hmdb51_prek400.py) with layer-wise lr decay
# (uniformer_mm.LayerDecayOptimWrapperConstructor): the new 51-way head
# learns at lr 1e-4, each layer below it at 0.8x the one above, down to the
# stem at 0.8**19 = 1.4% -- the pretrained early layers barely move, the
# remedy for a fine-tuning accuracy that falls epoch after epoch from a
# too-high backbone lr. A starting point, not tuned here; everything else
# (8 GPUs x 16 videos, 25 epochs, drop path 0.2, RandAugment m5 n2, 5 clips x
# 3 crops) is the official HMDB51 recipe. For UCF101 take the dataset and
# num_classes keys of uniformer_s_16x4_ucf101_prek400.py.
_base_ = './uniformer_s_16x4_hmdb51_prek400.py'

optim_wrapper = dict(
    optimizer=dict(lr=1e-4),
    constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.8))
param_scheduler = [
    dict(_base_.param_scheduler[0], start_factor=1e-6 / 1e-4),
    _base_.param_scheduler[1],
]
