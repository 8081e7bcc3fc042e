# UniFormer-L (layer scale, token labeling) fine-tuned at 384x384 (official
# token_labeling/exp/uniformer_large_ls_tl_384/run.sh: 8 GPUs x 32 images, drop
# path 0.3, otherwise the S-384 recipe; that script names
# `--model uniformer_small_plus`, a copy slip: the released weights are L).
_base_ = './uniformer_s_tl_ft50e_in1k-384px.py'

# Start: the official 224 token-labeling model `uniformer_large_ls_tl_224.pth`
# (Sense-X/UniFormer token-labeling model zoo), converted once with
#   python tools/model_converters/uniformer_to_mm.py \
#       uniformer_large_ls_tl_224.pth \
#       checkpoints/uniformer_l_tl_300e_in1k.pth --task cls
load_from = 'checkpoints/uniformer_l_tl_300e_in1k.pth'

model = dict(
    backbone=dict(
        arch='l', drop_path_rate=0.3, layer_scale_init_value=1e-6),
    head=dict(in_channels=640))
# 8 GPUs x 32 images = 256.
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32)
test_dataloader = val_dataloader
auto_scale_lr = dict(base_batch_size=256)
