"""Unit tests of the UniFormer backbone: arguments, shapes, training knobs."""
import pytest
import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm

from uniformer_mm.models import UniFormer

TINY = dict(depths=[1, 1, 2, 1], embed_dims=[8, 16, 24, 32], head_dim=8,
            mlp_ratio=2)
TINY_LIGHT = dict(TINY, depths=[1, 1, 3, 2], conv_stem=True,
                  token_keep_ratio=0.5)
TINY_SPLUS = dict(TINY, conv_stem=True, conv_downsample=True,
                  layer_scale_stages=[0, 1, 2, 3])


def tiny(**kwargs):
    kwargs.setdefault('arch', TINY)
    return UniFormer(**kwargs)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize('kwargs, error, words', [
    (dict(arch='huge'), ValueError, "unknown UniFormer arch 'huge'"),
    (dict(arch=dict(depths=[1, 1, 1, 1])), ValueError, 'missing keys'),
    (dict(arch=dict(TINY, depth=[1])), ValueError, "unknown keys ['depth']"),
    (dict(arch=dict(TINY, depths=[1, 1])), ValueError, 'need 4 entries'),
    (dict(arch=3), TypeError, 'arch must be a str or a dict'),
    (dict(out_indices=(4, )), ValueError, 'out_indices must be in 0..3'),
    (dict(out_norm='BN', out_indices=(2, 3)), ValueError, 'out_indices=(3,)'),
    (dict(out_norm='GN'), ValueError, "out_norm must be 'LN' or 'BN'"),
    (dict(attn_modes=('local', 'global')), ValueError, 'attn_modes takes'),
    (dict(attn_modes='split'), ValueError, 'needs video=True'),
    (dict(video=True, attn_modes=('window', 'global')), ValueError,
     '2D only'),
    (dict(arch=TINY_LIGHT, attn_modes=('window', 'global')), ValueError,
     'global attention only'),
    (dict(window_size=0), ValueError, 'window_size must be a positive int'),
    (dict(with_cp=[1, 1]), ValueError, '4 block counts'),
    (dict(inflate_mode='middle'), ValueError, "'average' or 'center'"),
    (dict(arch=dict(TINY, head_dim=5)), ValueError, 'not divisible'),
    (dict(out_cls_token=True), ValueError, 'needs a light (hourglass) arch'),
])
def test_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=None) as info:
        tiny(**kwargs)
    assert words in str(info.value)


def test_bad_inputs():
    model = tiny()
    with pytest.raises(ValueError, match='set video=True'):
        model(torch.rand(1, 3, 4, 64, 64))
    with pytest.raises(ValueError, match='set video=False'):
        tiny(video=True, out_norm='BN')(torch.rand(1, 3, 64, 64))
    with pytest.raises(ValueError, match='in_channels=3'):
        model(torch.rand(1, 1, 64, 64))
    with pytest.raises(ValueError, match='at least 32'):
        model(torch.rand(1, 3, 16, 64))
    window = tiny(attn_modes=('window', 'global'), window_size=14)
    with pytest.raises(ValueError, match='window_size 14 exceeds'):
        window(torch.rand(1, 3, 64, 64))


def test_arch_aliases_share_settings():
    assert UniFormer.arch_zoo['s'] is UniFormer.arch_zoo['small']
    assert UniFormer.arch_zoo['b-ls']['layer_scale_stages'] == [2, 3]
    assert UniFormer.arch_zoo['s-tl']['head_dim'] == 32


# ------------------------------------------------------------------ shapes
@pytest.mark.parametrize('out_indices', [(0, ), (1, 3), (0, 1, 2, 3), (-1, )])
@pytest.mark.parametrize('size', [(64, 64), (65, 97), (100, 36)])
def test_image_shapes(out_indices, size):
    model = tiny(out_indices=out_indices).eval()
    outs = model(torch.rand(2, 3, *size))
    assert isinstance(outs, tuple) and len(outs) == len(out_indices)
    H, W = size
    for out, index in zip(outs, [i % 4 for i in out_indices]):
        h, w = H // 4, W // 4
        for _ in range(index):
            h, w = h // 2, w // 2
        assert out.shape == (2, TINY['embed_dims'][index], h, w)


@pytest.mark.parametrize('attn_modes', [('window', 'global'),
                                        ('hybrid', 'window')])
def test_window_sizes_not_multiple_of_window(attn_modes):
    model = tiny(arch=dict(TINY, depths=[1, 1, 4, 1]), attn_modes=attn_modes,
                 window_size=3, out_indices=(2, 3)).eval()
    out3, out4 = model(torch.rand(1, 3, 72, 248))
    assert out3.shape == (1, 24, 4, 15) and out4.shape == (1, 32, 2, 7)
    assert [b.attn_mode for b in model.blocks3] == (
        ['window'] * 4 if attn_modes[0] == 'window' else
        ['window', 'window', 'window', 'global'])


def test_video_shapes_and_single_output_tensor():
    model = tiny(video=True, out_norm='BN').eval()
    out = model(torch.rand(1, 3, 8, 64, 64))
    assert isinstance(out, torch.Tensor) and out.shape == (1, 32, 4, 2, 2)
    outs = tiny(video=True, out_indices=(0, 3)).eval()(
        torch.rand(1, 3, 8, 64, 64))
    assert [o.shape for o in outs] == [(1, 8, 4, 16, 16), (1, 32, 4, 2, 2)]


@pytest.mark.parametrize('arch', [TINY_LIGHT, TINY_SPLUS])
@pytest.mark.parametrize('video', [False, True])
def test_variant_shapes(arch, video):
    model = tiny(arch=arch, video=video, out_indices=(0, 1, 2, 3)).eval()
    x = torch.rand(1, 3, 4, 64, 96) if video else torch.rand(1, 3, 64, 96)
    outs = model(x)
    assert [o.shape[1] for o in outs] == TINY['embed_dims']
    assert outs[3].shape[-2:] == (2, 3)


@pytest.mark.parametrize('video', [False, True])
def test_light_class_token_output(video):
    """out_cls_token appends the final class token, (B, C_4), to the same
    stage outputs (a tuple even for a single video stage)."""
    x = torch.rand(2, 3, 4, 64, 96) if video else torch.rand(2, 3, 64, 96)
    plain = tiny(arch=TINY_LIGHT, video=video, out_norm='BN').eval()
    with_token = tiny(arch=TINY_LIGHT, video=video, out_norm='BN',
                      out_cls_token=True).eval()
    with_token.load_state_dict(plain.state_dict())
    with torch.no_grad():
        expected = plain(x)
        outs = with_token(x)
    expected = expected if isinstance(expected, tuple) else (expected, )
    assert len(outs) == len(expected) + 1
    assert torch.equal(outs[0], expected[0])
    assert outs[-1].shape == (2, 32)


def test_split_attention_and_std_embedding():
    model = tiny(video=True, attn_modes='split', embed_temporal_kernel=3,
                 out_norm='BN')
    model.init_weights()
    assert model.patch_embed2.proj.kernel_size == (3, 2, 2)
    block = model.blocks3[0]
    assert hasattr(block, 't_attn')
    assert torch.all(block.t_attn.proj.weight == 1)
    assert model.eval()(torch.rand(1, 3, 4, 64, 64)).shape == (1, 32, 2, 2, 2)


# ------------------------------------------------------------------ training
def test_frozen_stages_stay_frozen_after_train():
    model = tiny(frozen_stages=2, out_indices=(0, 1, 2, 3))
    model.train()
    frozen = [model.patch_embed1, model.blocks1, model.norm1,
              model.patch_embed2, model.blocks2, model.norm2]
    for module in frozen:
        assert all(not p.requires_grad for p in module.parameters())
        assert all(not m.training for m in module.modules())
    for module in [model.patch_embed3, model.blocks3, model.norm3]:
        assert all(p.requires_grad for p in module.parameters())
        assert all(m.training for m in module.modules())


def test_freezing_everything_includes_class_token_and_head_norm():
    model = tiny(arch=TINY_LIGHT, out_norm='BN', frozen_stages=4)
    model.train()
    assert not any(p.requires_grad for p in model.parameters())
    assert not model.norm.training
    partly = tiny(arch=TINY_LIGHT, frozen_stages=3, out_indices=(3, ))
    assert not partly.cls_token.requires_grad
    assert all(p.requires_grad for p in partly.cls_upsample.parameters())


def test_frozen_stem_only():
    model = tiny(frozen_stages=0)
    model.train()
    assert not any(p.requires_grad for p in model.patch_embed1.parameters())
    assert all(p.requires_grad for p in model.blocks1.parameters())


def test_norm_eval_only_affects_batch_norm():
    model = tiny(norm_eval=True)
    model.train()
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            assert not module.training
        elif isinstance(module, nn.LayerNorm):
            assert module.training


@pytest.mark.parametrize('arch', [TINY, TINY_LIGHT])
def test_with_cp_gives_same_output_and_gradients(arch):
    torch.manual_seed(0)
    plain = tiny(arch=arch, out_indices=(0, 1, 2, 3), drop_path_rate=0.)
    checkpointed = tiny(arch=arch, out_indices=(0, 1, 2, 3), with_cp=True)
    checkpointed.load_state_dict(plain.state_dict())
    x = torch.rand(2, 3, 64, 64, requires_grad=True)
    grads = []
    for model in (plain, checkpointed):
        model.train()
        outs = model(x)
        sum(o.sum() for o in outs).backward()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters()})
        x.grad = None
    for name, grad in grads[0].items():
        assert torch.allclose(grad, grads[1][name], atol=1e-5), name


def test_with_cp_counts_per_stage():
    model = tiny(with_cp=[0, 1, 2, 0])
    assert model.checkpointed_blocks == [0, 1, 2, 0]


@pytest.mark.parametrize('kwargs', [
    dict(arch=TINY, out_indices=(0, 1, 2, 3)),
    dict(arch=TINY_LIGHT, out_indices=(0, 1, 2, 3)),
    dict(arch=TINY_SPLUS, out_norm='BN'),
    dict(arch=TINY, video=True, attn_modes='split', out_norm='BN'),
    dict(arch=TINY_LIGHT, video=True, out_norm='BN'),
])
def test_every_parameter_gets_a_gradient(kwargs):
    # PyTorch's default init: the official split-attention init (zero
    # t_attn.qkv) makes some gradients exactly zero at the first step.
    model = UniFormer(**kwargs)
    model.train()
    video = kwargs.get('video', False)
    x = torch.rand(2, 3, 4, 64, 64) if video else torch.rand(2, 3, 64, 64)
    outs = model(x)
    outs = outs if isinstance(outs, tuple) else (outs, )
    sum((o**2).mean() for o in outs).backward()
    no_grad = [n for n, p in model.named_parameters()
               if p.grad is None or not p.grad.abs().sum() > 0]
    assert not no_grad


def test_get_layer_depth_covers_every_parameter():
    model = tiny(arch=TINY_LIGHT, out_indices=(0, 1, 2, 3))
    num_layers = sum(TINY_LIGHT['depths']) + 2
    depths = {}
    for name, _ in model.named_parameters():
        layer_id, total = model.get_layer_depth('backbone.' + name,
                                                'backbone.')
        assert total == num_layers and 0 <= layer_id < num_layers
        depths[name] = layer_id
    assert depths['patch_embed1.proj.0.weight'] == 0
    assert depths['blocks1.0.conv1.weight'] == 1
    assert depths['blocks4.1.attn.qkv.weight'] == num_layers - 2
    assert depths['norm4.weight'] == num_layers - 1
    assert model.get_layer_depth('head.fc.weight', 'backbone.')[0] == \
        num_layers - 1


# ------------------------------------------------------------------ sizes
@pytest.mark.slow
@pytest.mark.parametrize('arch, params_m, classifier', [
    ('s', 21.55, 'linear'), ('s+', 24.03, 'linear'), ('b', 49.78, 'linear'),
    ('xxs', 10.22, 'light'), ('xs', 16.51, 'light'),
    ('l', 100.1, 'token-labeling')])
def test_full_size_parameter_counts(arch, params_m, classifier):
    """Official counts of the released 1000-class models: a linear head;
    light models add their training-time class-token head and its LayerNorm
    (head_cls, norm_cls); token labeling adds the aux head."""
    model = UniFormer(arch=arch, out_norm='BN')
    dim = model.embed_dims[-1]
    linear = dim * 1000 + 1000
    extra = dict(linear=linear, light=2 * linear + 2 * dim,
                 **{'token-labeling': 2 * linear})[classifier]
    total = sum(p.numel() for p in model.parameters()) + extra
    assert round(total / 1e6, 2 if params_m < 100 else 1) == params_m


def test_docstring_example_prints_what_it_claims():
    import doctest

    import uniformer_mm.models.backbones.uniformer as module
    assert doctest.testmod(module).failed == 0
