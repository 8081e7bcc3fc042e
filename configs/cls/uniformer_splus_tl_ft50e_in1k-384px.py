# UniFormer-S+ (token labeling) fine-tuned at 384x384 (official
# token_labeling/exp/uniformer_small_plus_tl_384/run.sh): the S-384 recipe,
# drop path 0.1, 8 GPUs x 64.
_base_ = './uniformer_s_tl_ft50e_in1k-384px.py'

# Start: the official 224 token-labeling model
# `uniformer_small_plus_tl_224.pth`
# (Sense-X/UniFormer token-labeling model zoo), converted once with
#   python tools/model_converters/uniformer_to_mm.py \
#       uniformer_small_plus_tl_224.pth \
#       checkpoints/uniformer_splus_tl_300e_in1k.pth --task cls
load_from = 'checkpoints/uniformer_splus_tl_300e_in1k.pth'

model = dict(backbone=dict(arch='s+', drop_path_rate=0.1))
