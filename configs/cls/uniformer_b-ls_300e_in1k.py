# UniFormer-B with layer scale (init 1e-6) in stages 3-4, ImageNet-1k.
# Official run.sh (uniformer_base_ls): the B recipe, 8 GPUs x 128.
_base_ = './uniformer_b_300e_in1k.py'

model = dict(backbone=dict(arch='b-ls', layer_scale_init_value=1e-6))
