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
    (dict(frozen_stages=5), ValueError, 'frozen_stages must be -1'),
    (dict(frozen_stages=-2), ValueError, 'frozen_stages must be -1'),
    (dict(embed_temporal_kernel=3), ValueError,
     'embed_temporal_kernel=3 only applies to video models'),
    (dict(inflate_mode='center'), ValueError,
     "inflate_mode='center' only applies to video models"),
    (dict(video=True, embed_temporal_kernel=2), ValueError, 'must be 1 or 3'),
    (dict(with_cp=[0, 0, 3, 0]), ValueError, 'between 0 and the stage depth'),
    (dict(drop_path_rate=1.0), ValueError, 'drop_path_rate must be in'),
    (dict(in_channels=0), ValueError, 'in_channels must be a positive int'),
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


def test_arch_aliases_share_settings():
    assert UniFormer.arch_zoo['s'] is UniFormer.arch_zoo['small']
    assert UniFormer.arch_zoo['b-ls']['layer_scale_stages'] == [2, 3]
    assert UniFormer.arch_zoo['s-tl']['head_dim'] == 32
    assert UniFormer.arch_zoo['xxs-ls'] is UniFormer.arch_zoo['xxsmall-ls']


@pytest.mark.parametrize('scale', ['gamma_3', 'branch'])
def test_hourglass_layer_scale_follows_the_official_family(scale):
    """Image light models scale the merged tokens' update with their own
    gamma_3; the video light-ls models with gamma_1/gamma_2 (no gamma_3)."""
    arch = dict(TINY_LIGHT, layer_scale_stages=[2, 3],
                merged_token_scale=scale)
    model = UniFormer(arch=arch, video=True, out_norm='BN',
                      layer_scale_init_value=0.1)
    gamma_3 = [k for k in model.state_dict() if k.endswith('gamma_3')]
    assert bool(gamma_3) == (scale == 'gamma_3')
    assert all(k.startswith(('blocks3.1.', 'blocks3.2.', 'blocks4.'))
               for k in gamma_3)
    model.eval()(torch.rand(1, 3, 4, 64, 64))
    with pytest.raises(ValueError, match="merged_token_scale must be one of"):
        UniFormer(arch=dict(arch, merged_token_scale='gamma_4'))


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


@pytest.mark.parametrize('with_cp, calls', [
    ([0, 1, 2, 0], 3), (True, 5), (False, 0)])
def test_with_cp_checkpoints_the_first_blocks_of_each_stage(
        with_cp, calls, monkeypatch):
    """Count the blocks run through torch.utils.checkpoint in training
    (none in eval or without grad)."""
    import torch.utils.checkpoint as cp
    checkpoint, seen = cp.checkpoint, []

    def spy(function, *args, **kwargs):
        seen.append(function)
        return checkpoint(function, *args, **kwargs)

    monkeypatch.setattr(cp, 'checkpoint', spy)
    model = tiny(with_cp=with_cp).train()
    sum(o.sum() for o in model(torch.rand(1, 3, 64, 64))).backward()
    assert len(seen) == calls
    if calls == 3:
        assert seen == [model.blocks2[0], model.blocks3[0], model.blocks3[1]]
    seen.clear()
    with torch.no_grad():
        model(torch.rand(1, 3, 64, 64))
    assert not seen


# ------------------------------------------------------------- windows
def _padded_window_attention(block, tokens, hw):
    """The official formula for a map smaller than the window: zero-pad
    the normed map (B, H, W, C) to one window, attend, crop."""
    B, _, C = tokens.shape
    (H, W), ws = hw, block.window_size
    grid = torch.zeros(B, ws, ws, C)
    grid[:, :H, :W] = tokens.view(B, H, W, C)
    out = block.attn(grid.view(B, ws * ws, C)).view(B, ws, ws, C)
    return out[:, :H, :W].reshape(B, H * W, C)


@pytest.mark.parametrize('mode', ['window', 'hybrid'])
def test_windows_larger_than_the_map_are_padded_as_official(mode):
    """Window and hybrid stages compute a window larger than the stage-3
    map (the official UperNet S w32 test on a 200x232 image: a 12x14 map)
    by zero padding, as the official code, instead of failing."""
    torch.manual_seed(0)
    model = tiny(arch=dict(TINY, depths=[1, 1, 4, 1]), attn_modes=(
        mode, 'global'), window_size=32, out_indices=(0, 1, 2, 3)).eval()
    modes = [b.attn_mode for b in model.blocks3]
    assert modes == (['window'] * 4 if mode == 'window' else
                     ['window', 'window', 'window', 'global'])
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 200, 232))
        assert outs[2].shape == (1, 24, 12, 14)
        tokens = torch.rand(2, 12 * 14, 24)
        block = model.blocks3[0]
        assert torch.allclose(block._window_attention(tokens, (12, 14)),
                              _padded_window_attention(block, tokens,
                                                       (12, 14)), atol=1e-6)


# ------------------------------------------------------------- init and load
def test_default_init_is_declared_and_applied_by_mmengine():
    model = tiny(video=True, attn_modes='split', out_norm='BN')
    assert model.init_cfg == UniFormer.default_init_cfg
    model.init_weights()
    qkv = model.blocks3[0].attn.qkv
    assert qkv.bias.abs().sum() == 0 and 0.01 < qkv.weight.std() < 0.03
    t_attn = model.blocks3[0].t_attn
    assert t_attn.qkv.weight.abs().sum() == 0
    assert torch.all(t_attn.proj.weight == 1)


@pytest.mark.parametrize('init_cfg', [
    dict(type='Constant', layer='Linear', val=0.5, bias=0.),
    [dict(type='Constant', layer='Linear', val=0.5, bias=0.),
     dict(type='Constant', layer='Conv2d', val=0.25, bias=0.)],
])
def test_any_mmengine_init_cfg_works(init_cfg):
    """A dict or a list of MMEngine initialisers applies as in MMEngine
    (it replaces the default init)."""
    model = tiny(init_cfg=init_cfg)
    model.init_weights()
    assert torch.all(model.blocks3[0].mlp.fc1.weight == 0.5)
    conv = model.blocks1[0].conv1.weight
    if isinstance(init_cfg, list):
        assert torch.all(conv == 0.25)
    else:
        assert not torch.all(conv == 0.25)


def test_pretrained_after_other_init_entries(tmp_path):
    source = tiny()
    source.init_weights()
    path = str(tmp_path / 'backbone.pth')
    torch.save({'state_dict': source.state_dict()}, path)
    model = tiny(out_indices=(0, 1, 2, 3), init_cfg=[
        dict(type='Constant', layer='LayerNorm', val=2., bias=0.),
        dict(type='Pretrained', checkpoint=path)])
    model.init_weights()
    assert torch.equal(model.blocks3[0].attn.qkv.weight,
                       source.blocks3[0].attn.qkv.weight)
    assert torch.all(model.norm1.weight == 2)  # not in the file: init entry


@pytest.mark.parametrize('load', ['load_state_dict', 'load_checkpoint'])
def test_every_load_path_inflates_2d_weights(load, tmp_path):
    """model.load_state_dict and MMEngine's load_checkpoint (load_from,
    resume) of 2D weights into a video model inflate them as init_cfg
    does; another variant is refused with a clear error."""
    from mmengine.runner import load_checkpoint
    image = tiny(out_norm='BN')
    image.init_weights()
    video = tiny(out_norm='BN', video=True)
    path = str(tmp_path / 'image.pth')
    torch.save({'state_dict': image.state_dict()}, path)
    if load == 'load_state_dict':
        video.load_state_dict(image.state_dict())
    else:
        load_checkpoint(video, path)
    weight = video.blocks1[0].conv1.weight  # (O, I, T, 1, 1), average
    assert torch.allclose(weight.sum(2), image.blocks1[0].conv1.weight)
    other = tiny(arch=dict(TINY, embed_dims=[8, 16, 32, 40]), out_norm='BN')
    with pytest.raises(ValueError, match='does not fit this UniFormer'):
        other.load_state_dict(image.state_dict(), strict=False)


def test_whole_model_load_inflates_the_backbone_part():
    """A toolbox model's load_state_dict (the Runner's load_from) reaches
    the backbone's pre-hook under its prefix."""
    image = nn.ModuleDict(dict(backbone=tiny(out_norm='BN')))
    video = nn.ModuleDict(dict(backbone=tiny(out_norm='BN', video=True)))
    video.load_state_dict(image.state_dict())
    assert video.backbone.blocks1[0].pos_embed.weight.dim() == 5


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
