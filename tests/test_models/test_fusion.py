"""Fast inference paths equal the eager model: fuse(), channels_last,
torch.compile, autocast; and the fused model's guards."""
import pytest
import torch
import torch.nn as nn
from helpers import CASES, GOLDEN, TINY, TINY_LIGHT, build_pretrained

from uniformer_mm.models import UniFormer, fuse_uniformer


def golden_outputs(name, prepare=lambda model, x: (model, x)):
    expected = torch.load(GOLDEN / f'{name}.expected.pt', weights_only=False)
    kwargs, checkpoint = CASES[name]
    model, x = prepare(build_pretrained(kwargs, checkpoint),
                       expected['input'])
    with torch.no_grad():
        out = model(x)
    return (out if isinstance(out, tuple) else (out, )), expected


def reference_outputs(name):
    return golden_outputs(name)[0]


@pytest.mark.parametrize('name', sorted(CASES))
def test_fused_model_equals_unfused_within_golden_tolerance(name):
    fused, expected = golden_outputs(
        name, lambda model, x: (model.fuse(), x))
    tol = expected['tolerance']
    for got, ref in zip(fused, reference_outputs(name)):
        assert torch.allclose(got, ref, atol=tol['atol'], rtol=tol['rtol']), \
            f'{name}: max |diff| {(got - ref).abs().max():.2e}'


@pytest.mark.parametrize('name', sorted(CASES))
def test_channels_last_equals_default_layout(name):

    def to_channels_last(model, x):
        fmt = model.channels_last_format
        return model.to(memory_format=fmt), x.contiguous(memory_format=fmt)

    outs, expected = golden_outputs(name, to_channels_last)
    tol = expected['tolerance']
    fmt = torch.channels_last_3d if outs[0].dim() == 5 else \
        torch.channels_last
    for got, ref in zip(outs, reference_outputs(name)):
        if got.dim() in (4, 5):
            assert got.is_contiguous(memory_format=fmt)
        assert torch.allclose(got, ref, atol=tol['atol'], rtol=tol['rtol'])


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('channels_last', [False, True])
def test_internal_layout_changes_neither_outputs_nor_their_layout(
        name, channels_last):
    """``channels_last=None`` (the golden runs) feeds images channels-last
    to the stem on CPU, videos in the input's layout; True / False force
    it. Outputs match and keep the input's layout either way."""
    kwargs, checkpoint = CASES[name]
    expected = torch.load(GOLDEN / f'{name}.expected.pt', weights_only=False)
    tol = expected['tolerance']
    models = [
        build_pretrained(dict(kwargs, channels_last=channels_last),
                         checkpoint),
        build_pretrained(kwargs, checkpoint)
    ]
    seen = []
    for model in models:
        model.patch_embed1.register_forward_pre_hook(
            lambda module, args: seen.append(args[0].is_contiguous(
                memory_format=models[0].channels_last_format)))
    with torch.no_grad():
        outs, refs = (model(expected['input']) for model in models)
    assert seen == [channels_last, not models[0].video]
    outs, refs = (o if isinstance(o, tuple) else (o, ) for o in (outs, refs))
    for got, ref in zip(outs, refs):
        assert got.is_contiguous() and ref.is_contiguous()
        assert torch.allclose(got, ref, atol=tol['atol'], rtol=tol['rtol'])


def test_channels_last_argument_is_checked():
    with pytest.raises(ValueError, match='channels_last must be None'):
        UniFormer(arch=TINY, channels_last='yes')


def test_fuse_folds_the_norms_and_guards_the_model():
    model = UniFormer(arch=dict(TINY, layer_scale_stages=[0, 1, 2, 3]),
                      out_norm='BN', attn_modes='global')
    with pytest.raises(RuntimeError, match='model.eval'):
        model.fuse()
    model.eval().fuse()
    batch_norms = [n for n, m in model.named_modules()
                   if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    assert batch_norms == ['norm']  # the head norm: nothing after it
    # The LN affines stay: torch's affine-free CPU LayerNorm is ~2x slower.
    block_norms = [m for n, m in model.named_modules()
                   if isinstance(m, nn.LayerNorm) and n.startswith('blocks')]
    assert block_norms and all(m.elementwise_affine for m in block_norms)
    assert not any(n.endswith(('gamma_1', 'gamma_2'))
                   for n, _ in model.named_parameters())
    with pytest.raises(RuntimeError, match='cannot be trained'):
        model.train()
    with pytest.raises(RuntimeError, match='unfused model'):
        model.load_state_dict(UniFormer(arch=TINY, out_norm='BN')
                              .state_dict())
    assert fuse_uniformer(nn.Sequential(model))[0] is model


def test_bf16_autocast_stays_close_to_float32():
    for name in ('cls-s', 'dense-s-hybrid14', 'light-xxs', 'video-s'):

        def bf16(model, x):

            def run(inputs):
                with torch.autocast('cpu', torch.bfloat16):
                    return model(inputs)

            return run, x

        outs, _ = golden_outputs(name, bf16)
        for got, ref in zip(outs, reference_outputs(name)):
            error = (got.float() - ref).norm() / ref.norm()
            assert error < 0.05, f'{name}: relative error {error:.3f}'


def test_attn_fp32_runs_attention_in_float32(monkeypatch):
    seen = []
    sdpa = torch.nn.functional.scaled_dot_product_attention

    def spy(q, k, v, **kwargs):
        seen.append(q.dtype)
        return sdpa(q, k, v, **kwargs)

    monkeypatch.setattr(torch.nn.functional, 'scaled_dot_product_attention',
                        spy)
    x = torch.randn(1, 3, 64, 64)
    for attn_fp32, dtype in ((False, torch.bfloat16), (True, torch.float32)):
        seen.clear()
        model = UniFormer(arch=TINY, attn_fp32=attn_fp32).eval()
        with torch.no_grad(), torch.autocast('cpu', torch.bfloat16):
            model(x)
        assert seen and set(seen) == {dtype}


COMPILE_FAMILIES = {
    '2d': dict(arch=TINY),
    'dense-hybrid': dict(arch=dict(TINY, depths=[1, 1, 4, 1]),
                         attn_modes=('hybrid', 'global'), window_size=3,
                         out_indices=(0, 1, 2, 3)),
    'hourglass': dict(arch=TINY_LIGHT, out_norm='BN'),
    'video': dict(arch=TINY, video=True, out_norm='BN'),
    'video-split': dict(arch=TINY, video=True, out_norm='BN',
                        attn_modes=('split', 'split')),
}


@pytest.mark.slow
@pytest.mark.parametrize('family', sorted(COMPILE_FAMILIES))
def test_compile_fullgraph_equals_eager(family):
    """Inductor compiles the eval forward with no graph break; the training
    graph (drop path, checkpointing, backward) is captured whole too,
    through AOTAutograd without inductor's C++ build (minutes on 2 cores)."""
    torch._dynamo.reset()
    kwargs = COMPILE_FAMILIES[family]
    model = UniFormer(**kwargs, drop_path_rate=0.1, with_cp=True).eval()
    shape = (2, 3, 4, 64, 64) if kwargs.get('video') else (2, 3, 64, 64)
    x = torch.randn(shape)
    compiled = torch.compile(model, fullgraph=True)
    with torch.no_grad():
        for got, ref in zip(compiled(x), model(x)):
            assert torch.allclose(got, ref, atol=1e-5, rtol=1e-4)
    model.train()
    training = torch.compile(model, fullgraph=True, backend='aot_eager')
    torch.manual_seed(0)
    outs = training(x.requires_grad_())
    loss = sum(o.sum() for o in outs if o.dim() > 1)
    loss.backward()
    compiled_grad, x.grad = x.grad, None
    torch.manual_seed(0)
    sum(o.sum() for o in model(x) if o.dim() > 1).backward()
    assert torch.allclose(compiled_grad, x.grad, atol=1e-4, rtol=1e-3)


@pytest.mark.slow
def test_fastest_float32_path_equals_eager():
    """The documented fastest float32 inference: fused, channels-last,
    compiled with inductor's freezing (weights prepacked as constants)."""
    import torch._inductor.config as inductor_config
    torch._dynamo.reset()
    model = UniFormer(**COMPILE_FAMILIES['hourglass']).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected = model(x)
        fast = model.fuse().to(memory_format=torch.channels_last)
        with inductor_config.patch(freezing=True):
            got = torch.compile(fast, fullgraph=True)(
                x.contiguous(memory_format=torch.channels_last))
    for g, e in zip(got, expected):
        assert torch.allclose(g, e, atol=1e-5, rtol=1e-4)
