# UniFormer-S+ with Token Labeling, ImageNet-1k 224x224 (official
# token_labeling/exp/uniformer_small_plus_tl_224/run.sh): the S token-labeling
# recipe with drop path 0.1, 8 GPUs x 128.
_base_ = './uniformer_s_tl_300e_in1k.py'

model = dict(backbone=dict(arch='s+', drop_path_rate=0.1))
