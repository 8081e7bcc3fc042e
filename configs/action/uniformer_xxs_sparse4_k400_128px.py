# UniFormer-XXS (light), Kinetics-400, 4 frames sparsely sampled (one per
# segment), 128x128 (official exp_light/uniformer_xxs4_128_k400/run.sh): layer
# scale (init 0.1) in every block, 8 GPUs x 32 videos (each sampled twice), lr
# 4e-4 (not rescaled), weight decay 0.1, 10 warmup epochs, cosine over 110
# epochs, drop path 0.05, checkpointing of 4 stage-3 blocks, RandAugment (m10,
# n2), fp32 training (the authors turned mixed precision off against NaN
# losses, so no --amp); test 1 clip x 1 centre crop (short side 128).
#
# The root of the light family: it inherits the Kinetics-400 primitive and
# swaps the backbone arch, the sampling and the schedule.
_base_ = './uniformer_s_8x8_k400.py'

# Backbone: the official ImageNet-1k UniFormer-XXS, at 128 (the official
# PRETRAIN_NAME), inflated to 3D.
model = dict(
    backbone=dict(
        init_cfg=dict(
            checkpoint='checkpoints/uniformer_xxs_128_in1k.pth'),
        # XXS with layer scale in every block, as the official video light
        # model with layer scale (uniformer_light_ls_fp32.py): its shrinking
        # blocks update the merged tokens with gamma_1 / gamma_2, no gamma_3
        arch='xxs-ls',
        layer_scale_init_value=0.1,
        drop_path_rate=0.05,
        with_cp=(0, 0, 4, 0),
        out_cls_token=True),
    # The official light models train two classifiers, pooled (evaluation)
    # and class token, 0.5 * loss each (train_net_cls.py); no head dropout.
    cls_head=dict(
        type='uniformer_mm.HourglassI3DHead',
        in_channels=448,
        dropout_ratio=0.0,
        loss_weights=(0.5, 0.5)))

# Sparse sampling: one frame from each of 4 segments; RandAugment (m10, n2);
# short side 192, 128x128 crops; test on the 128 short side.
train_pipeline = [
    dict(type='UniformSample', clip_len=4, num_clips=1)
    if t['type'] == 'SampleFrames' else
    dict(t, magnitude=10, num_layers=2)
    if t['type'] == 'uniformer_mm.ClipRandAugment' else
    dict(t, scale=(-1, 192)) if t['type'] == 'Resize' and t['scale'][0] == -1
    else dict(t, scale=(128, 128)) if t['type'] == 'Resize' else t
    for t in _base_.train_pipeline
]
val_pipeline = [
    dict(type='UniformSample', clip_len=4, num_clips=1, test_mode=True)
    if t['type'] == 'SampleFrames' else
    dict(t, scale=(-1, 128)) if t['type'] == 'Resize' else
    dict(t, crop_size=128) if t['type'] == 'CenterCrop' else t
    for t in _base_.val_pipeline
]
test_pipeline = val_pipeline

# 8 GPUs x 32 videos.
train_dataloader = dict(
    batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

auto_scale_lr = dict(enable=False, base_batch_size=256)

optim_wrapper = dict(optimizer=dict(weight_decay=0.1))
# Warmup from 1e-6 for 10 epochs, then cosine to 1e-6 at epoch 110.
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=100, end=110),
]
train_cfg = dict(max_epochs=110, val_interval=1)
