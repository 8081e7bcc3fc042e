# UniFormer-S+ (S dagger: depths 3-5-9-3, overlapping conv stem and
# downsampling, head_dim 32), ImageNet-1k 224x224. Official run.sh:
# uniformer_small_plus, 8 GPUs x 128, drop path 0.1, otherwise the S recipe.
_base_ = './uniformer_s_300e_in1k.py'

model = dict(backbone=dict(arch='s+', drop_path_rate=0.1))
