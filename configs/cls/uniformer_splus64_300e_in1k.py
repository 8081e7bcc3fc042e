# UniFormer-S+ re-trained with head_dim 64 (the release for dense tasks),
# official run.sh: uniformer_small_plus_dim64, the S+ recipe (8 GPUs x 128).
_base_ = './uniformer_splus_300e_in1k.py'

model = dict(backbone=dict(arch='s+64'))
