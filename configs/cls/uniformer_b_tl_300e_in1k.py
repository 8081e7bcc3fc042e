# UniFormer-B with Token Labeling (head_dim 32), ImageNet-1k 224x224 (official
# token_labeling/exp/uniformer_base_tl_224/run.sh): the S token-labeling recipe
# with drop path 0.3, 8 GPUs x 128.
_base_ = './uniformer_s_tl_300e_in1k.py'

model = dict(backbone=dict(arch='b-tl', drop_path_rate=0.3))
