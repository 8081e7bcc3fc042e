# UniFormer-B (token labeling, head_dim 32) fine-tuned at 384x384 (official
# token_labeling/exp/uniformer_base_tl_384/run.sh): the S-384 recipe, drop path
# 0.3, 8 GPUs x 64.
_base_ = './uniformer_s_tl_ft50e_in1k-384px.py'

# Start: the official 224 token-labeling model `uniformer_base_tl_224.pth`
# (Sense-X/UniFormer token-labeling model zoo), converted once with
#   python tools/model_converters/uniformer_to_mm.py \
#       uniformer_base_tl_224.pth \
#       checkpoints/uniformer_b_tl_300e_in1k.pth --task cls
load_from = 'checkpoints/uniformer_b_tl_300e_in1k.pth'

model = dict(backbone=dict(arch='b-tl', drop_path_rate=0.3))
