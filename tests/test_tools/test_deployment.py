"""tools/deployment/pytorch2onnx.py (ONNX + onnxruntime, TorchScript) and
the fast-inference modes of tools/analysis_tools/benchmark.py."""
import os.path as osp
import runpy
import subprocess
import sys
from types import SimpleNamespace

import pytest
import torch
from helpers import REPO, TOOLS

from uniformer_mm.analysis import build_model
from uniformer_mm.utils.cli import load_config
from uniformer_mm.utils.errors import FixableError
from uniformer_mm.utils.machine import low_precision_support

#: the tool's functions, loaded from its file (not through sys.path)
pytorch2onnx = SimpleNamespace(
    **runpy.run_path(osp.join(TOOLS, 'deployment', 'pytorch2onnx.py'),
                     run_name='pytorch2onnx'))

DEMO = osp.join(REPO, 'configs', 'demo')
HYBRID = [
    'model.backbone.attn_modes=hybrid,global', 'model.backbone.window_size=3',
    'model.backbone.arch.depths=[1,1,4,1]'
]


def export(capsys, config, *args):
    """Run the tool; returns the max |diff| lines it printed."""
    pytorch2onnx.main([config, *args])
    lines = capsys.readouterr().out.splitlines()
    diffs = [float(line.rsplit(' ', 1)[1]) for line in lines
             if 'max |diff|' in line]
    assert diffs, lines
    return diffs


@pytest.mark.slow
def test_export_classifier_with_checkpoint_matches_onnxruntime(
        tmp_path, capsys):
    """The whole classifier, fused, dynamic batch, from a checkpoint: the
    ONNX file gives the checkpoint's logits (not random weights)."""
    import onnxruntime
    from mmengine.runner import save_checkpoint
    config = osp.join(DEMO, 'cls_demo.py')
    cfg = load_config(config)
    model = build_model(cfg).eval()
    checkpoint = str(tmp_path / 'cls.pth')
    save_checkpoint({'state_dict': model.state_dict()}, checkpoint)
    out = str(tmp_path / 'cls.onnx')
    diffs = export(capsys, config, checkpoint, '--shape', '96', '--part',
                   'model', '--fuse', '--dynamic-batch', '--output-file', out)
    assert len(diffs) == 2 and max(diffs) < 1e-4

    x = torch.randn(3, 3, 96, 96)  # a batch size the export never saw
    with torch.no_grad():
        expected = model(x, mode='tensor')
    session = onnxruntime.InferenceSession(
        out, providers=['CPUExecutionProvider'])
    (logits, ) = session.run(None, {'input': x.numpy()})
    assert logits.shape == (3, 4)
    assert torch.allclose(torch.from_numpy(logits), expected, atol=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize('config, args', [
    ('seg_demo.py', ['--shape', '64', '--cfg-options', *HYBRID]),
    ('action_demo.py', ['--shape', '4', '64', '64', '--part', 'model']),
    ('../cls/uniformer_xxs_600e_in1k-128px.py', ['--shape', '64']),
])
def test_export_matches_onnxruntime(tmp_path, capsys, config, args):
    """Dense hybrid (window + global) backbone, a recognizer, and the
    hourglass XXS with its token selection, each fused."""
    diffs = export(capsys, osp.join(DEMO, config), *args, '--fuse',
                   '--dynamic-batch', '--output-file',
                   str(tmp_path / 'model.onnx'))
    assert len(diffs) == 2 and max(diffs) < 1e-4


@pytest.mark.slow
def test_torchscript_export(tmp_path, capsys):
    out = tmp_path / 'cls.pt'
    diffs = export(capsys, osp.join(DEMO, 'cls_demo.py'), '--shape', '96',
                   '--part', 'model', '--torchscript', '--output-file',
                   str(out))
    assert max(diffs) < 1e-5
    traced = torch.jit.load(str(out))
    assert traced(torch.randn(2, 3, 96, 96)).shape == (2, 4)


def test_export_refuses_what_it_cannot_do():
    with pytest.raises(FixableError, match='backbone'):
        pytorch2onnx.main([osp.join(DEMO, 'seg_demo.py'), '--part', 'model'])
    with pytest.raises(FixableError, match='opset 18'):
        pytorch2onnx.main([osp.join(DEMO, 'cls_demo.py'), '--opset', '16'])


@pytest.mark.parametrize('bf16', [True, False])
def test_benchmark_marks_emulated_low_precision(monkeypatch, bf16):
    """With a faked CPU: bf16 rows say 'emulated' where the CPU has no
    AVX512-BF16 / AMX."""
    for probe in ('_is_avx512_bf16_supported', '_is_amx_tile_supported'):
        monkeypatch.setattr(torch.cpu, probe, lambda: bf16)
    monkeypatch.setattr(torch.backends.cpu, 'get_cpu_capability',
                        lambda: 'AVX512' if bf16 else 'AVX2')
    benchmark = runpy.run_path(
        osp.join(TOOLS, 'analysis_tools', 'benchmark.py'))
    args = SimpleNamespace(amp='bf16', device='cpu')
    label = benchmark['mode_label'](['fuse', 'amp'], args)
    assert label == ('fused+bf16' if bf16 else 'fused+bf16 (emulated)')


def test_benchmark_freeze_needs_compile():
    benchmark = runpy.run_path(
        osp.join(TOOLS, 'analysis_tools', 'benchmark.py'))
    with pytest.raises(FixableError, match='add --compile'):
        benchmark['main'](['--arch', 'xxs', '--freeze'])


@pytest.mark.slow
def test_benchmark_prints_each_mode_as_a_ratio_to_eager():
    out = subprocess.run(
        [sys.executable, 'tools/analysis_tools/benchmark.py', '--arch', 'xxs',
         '--size', '64', '--batch-size', '2', '--warmup', '1', '--iters',
         '1', '--repeats', '1', '--rounds', '2', '--threads', '1',
         '--backward', '--fuse',
         '--channels-last', '--amp', 'bf16'],
        cwd=REPO, capture_output=True, text=True, check=True).stdout
    machine, _, header, *lines = out.splitlines()  # machine, settings
    assert machine.startswith('CPU: ') and ' capability ' in machine
    mode_column = slice(
        header.index('  mode') + 2, header.index('fwd/s') - 3)
    modes = [line[mode_column].strip() for line in lines]
    native, _ = low_precision_support(torch.bfloat16)
    bf16 = 'bf16' if native else 'bf16 (emulated)'
    assert modes == ['eager fp32', 'fused', 'fused+channels_last',
                     f'fused+channels_last+{bf16}']
    figures = [line[mode_column.stop:].split() for line in lines]
    assert figures[0][1] == figures[0][4] == '1.00'  # eager: its own ratio
    assert figures[1][3:] == ['(forward', 'only)']
    for row in figures[2:]:  # fwd/s x peak train/s x peak, all measured
        assert len(row) == 6 and all(float(v) > 0 for v in row)


TINY = dict(depths=[1, 1, 2, 1], embed_dims=[16, 32, 64, 96], head_dim=16,
            mlp_ratio=4)
# name: (backbone arguments, export shape, other shapes ONNX Runtime runs)
BACKBONE_FAMILIES = {
    '2d': (dict(arch=TINY, out_norm='BN'), (2, 3, 64, 64), [(3, 3, 96, 64)]),
    'dense-hybrid': (dict(arch=dict(TINY, depths=[1, 1, 4, 1]),
                          out_indices=(0, 1, 2, 3),
                          attn_modes=('hybrid', 'global'), window_size=3),
                     (1, 3, 64, 64), [(2, 3, 96, 128)]),
    'dense-window': (dict(arch=TINY, out_indices=(0, 1, 2, 3),
                          attn_modes='window', window_size=3),
                     (1, 3, 64, 64), [(2, 3, 80, 96)]),
    'hourglass': (dict(arch='xxs', out_norm='BN'), (1, 3, 64, 64),
                  [(2, 3, 96, 96), (1, 3, 128, 64)]),
    'video': (dict(arch=TINY, video=True, out_norm='BN'), (1, 3, 4, 64, 64),
              [(2, 3, 8, 64, 96)]),
    'video-split': (dict(arch=TINY, video=True, out_indices=(2, 3),
                         attn_modes='split'), (1, 3, 4, 64, 64),
                    [(2, 3, 6, 96, 64)]),
}


@pytest.mark.slow
@pytest.mark.parametrize('family', list(BACKBONE_FAMILIES))
def test_legacy_exporter_backbone_families_match_onnxruntime(family):
    """The TorchScript exporter (``dynamo=False``, what MMDeploy uses) gives
    graphs ONNX Runtime runs, with dynamic batch / T / H / W: no negative
    Transpose perm (LayerNorm outputs), the hourglass keep count computed
    from the input size (not frozen at the traced one)."""
    import io

    import onnxruntime

    from uniformer_mm.models.backbones.uniformer import UniFormer
    kwargs, shape, other_shapes = BACKBONE_FAMILIES[family]
    torch.manual_seed(0)
    model = UniFormer(**kwargs).eval()
    with torch.no_grad():
        num_outputs = len(pytorch2onnx.as_tuple(model(torch.randn(shape))))
    names = [f'out{i}' for i in range(num_outputs)]
    axes = {0: 'batch', 2: 'height', 3: 'width'} if len(shape) == 4 else {
        0: 'batch', 2: 'time', 3: 'height', 4: 'width'}
    buffer = io.BytesIO()
    torch.onnx.export(
        model, (torch.randn(shape), ), buffer, dynamo=False,
        opset_version=17, input_names=['input'], output_names=names,
        dynamic_axes={'input': axes, **{n: {0: 'batch'} for n in names}})
    session = onnxruntime.InferenceSession(
        buffer.getvalue(), providers=['CPUExecutionProvider'])
    for size in [shape, *other_shapes]:
        x = torch.randn(size)
        with torch.no_grad():
            expected = pytorch2onnx.as_tuple(model(x))
        got = session.run(None, {'input': x.numpy()})
        for e, g in zip(expected, got):
            assert g.shape == tuple(e.shape), (family, size)
            assert torch.allclose(torch.from_numpy(g), e, atol=1e-4), (
                family, size, float((torch.from_numpy(g) - e).abs().max()))
