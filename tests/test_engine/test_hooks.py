"""The runtime components a config names (uniformer_mm's hooks).

They replace what ``tools/`` used to patch into a built runner, so
``tools/train.py`` / ``tools/test.py`` and ``mim train`` / ``mim test`` run
the same code: backbone autocast, clip drawing, one test-metrics writer.
"""
import os
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmengine.registry import HOOKS as ROOT_HOOKS
from mmengine.structures import BaseDataElement

import uniformer_mm  # noqa: F401
from uniformer_mm.engine import (BackboneAutocastHook, ClipVisualizationHook,
                                 RankZeroLoggerHook)
from uniformer_mm.models import UniFormer

TINY = dict(depths=[1, 1, 1, 1], embed_dims=[8, 16, 24, 32], head_dim=8,
            mlp_ratio=2)


@pytest.mark.parametrize('name', ['BackboneAutocastHook',
                                  'ClipVisualizationHook',
                                  'RankZeroLoggerHook', 'PretrainedHook'])
def test_hooks_build_by_scoped_name_from_any_toolbox(name):
    from mmaction.registry import HOOKS
    hook = HOOKS.build(dict(type=f'uniformer_mm.{name}'))
    assert type(hook).__name__ == name
    assert ROOT_HOOKS.get(name) is None  # registered in our scope only


def fake_cpu(monkeypatch, capability, bf16):
    """Pretend the CPU has torch capability ``capability`` and, with
    ``bf16``, native bfloat16 (AVX512-BF16 / AMX) or none."""
    monkeypatch.setattr(torch.backends.cpu, 'get_cpu_capability',
                        lambda: capability)
    for probe in ('_is_avx512_bf16_supported', '_is_amx_tile_supported',
                  '_is_amx_fp16_supported'):
        monkeypatch.setattr(torch.cpu, probe, lambda: bf16)


def recording_runner(model, warnings):
    return SimpleNamespace(model=model, logger=SimpleNamespace(
        info=lambda message: None, warning=warnings.append))


def test_backbone_autocast_hook_runs_the_backbone_in_bfloat16(monkeypatch):
    fake_cpu(monkeypatch, 'AVX512', bf16=True)
    model = nn.Module()
    model.backbone = UniFormer(arch=TINY, out_indices=(0, 1, 2, 3))
    model.head = nn.Conv2d(32, 2, 1)
    inner = []
    model.backbone.blocks3[0].attn.qkv.register_forward_hook(
        lambda module, args, out: inner.append(out.dtype))
    hook = BackboneAutocastHook()
    runner = SimpleNamespace(model=model, logger=SimpleNamespace(
        info=lambda message: None))
    hook.before_run(runner)
    outs = model.backbone(torch.rand(1, 3, 64, 64))
    assert inner == [torch.bfloat16]
    assert all(o.dtype == torch.float32 for o in outs)
    assert model.head(outs[-1]).dtype == torch.float32  # heads in float32
    assert not torch.is_autocast_enabled('cpu')
    hook.after_run(runner)
    inner.clear()
    model.backbone(torch.rand(1, 3, 64, 64))
    assert inner == [torch.float32]
    with pytest.raises(TypeError, match='needs a model with a `backbone`'):
        hook.before_run(SimpleNamespace(model=nn.Linear(1, 1)))


@pytest.mark.parametrize('allow_emulated', [False, True])
def test_backbone_autocast_hook_keeps_float32_where_bf16_is_emulated(
        monkeypatch, allow_emulated):
    fake_cpu(monkeypatch, 'AVX2', bf16=False)
    model = nn.Module()
    model.backbone = UniFormer(arch=TINY, out_indices=(0, 1, 2, 3))
    inner, warnings = [], []
    model.backbone.blocks3[0].attn.qkv.register_forward_hook(
        lambda module, args, out: inner.append(out.dtype))
    hook = BackboneAutocastHook(allow_emulated=allow_emulated)
    hook.before_run(recording_runner(model, warnings))
    model.backbone(torch.rand(1, 3, 64, 64))
    assert inner == [torch.bfloat16 if allow_emulated else torch.float32]
    assert len(warnings) == 1
    assert 'capability AVX2' in warnings[0] and 'emulated' in warnings[0]
    assert ('keeping float32' in warnings[0]) != allow_emulated
    hook.after_run(None)


def test_machine_summary_names_the_cpu_and_its_capability(monkeypatch):
    from uniformer_mm.utils.machine import (low_precision_support,
                                            machine_summary)
    fake_cpu(monkeypatch, 'AVX2', bf16=False)
    summary = machine_summary()
    assert 'capability AVX2' in summary and 'no native bf16' in summary
    assert f'{os.cpu_count()} cores' in summary
    assert not low_precision_support(torch.bfloat16)[0]
    fake_cpu(monkeypatch, 'AVX512', bf16=True)
    assert 'AVX512-BF16' in machine_summary()
    native, reason = low_precision_support(torch.bfloat16)
    assert native and 'is native' in reason


def test_backbone_autocast_hook_leaves_autocast_when_the_backbone_raises(
        monkeypatch):
    fake_cpu(monkeypatch, 'AVX512', bf16=True)
    model = nn.Module()
    model.backbone = UniFormer(arch=TINY, out_indices=(0, 1, 2, 3))
    hook = BackboneAutocastHook()
    runner = SimpleNamespace(model=model, logger=SimpleNamespace(
        info=lambda message: None))
    hook.before_run(runner)

    def out_of_memory(module, args, output):
        assert torch.is_autocast_enabled('cpu')
        raise RuntimeError('out of memory')

    failing = model.backbone.blocks3[0].register_forward_hook(out_of_memory)
    with pytest.raises(RuntimeError, match='out of memory'):
        model.backbone(torch.rand(1, 3, 64, 64))
    assert not torch.is_autocast_enabled('cpu')
    failing.remove()
    outs = model.backbone(torch.rand(1, 3, 64, 64))  # the hook still works
    assert all(o.dtype == torch.float32 for o in outs)
    assert not torch.is_autocast_enabled('cpu')
    hook.after_run(runner)


def test_rank_zero_logger_hook_writes_test_metrics_once(monkeypatch):
    import uniformer_mm.engine.hooks.logger_hook as module
    written = []
    monkeypatch.setattr(module.LoggerHook, 'after_test_epoch',
                        lambda self, runner, metrics=None: written.append(1))
    hook = RankZeroLoggerHook()
    for rank in (1, 0):
        monkeypatch.setattr(module, 'get_rank', lambda: rank)
        hook.after_test_epoch(runner=None, metrics={})
    assert written == [1]


def test_clip_visualization_hook_draws_ncthw_clips(tmp_path):
    sample = BaseDataElement(filename='videos/clip_0.mp4')
    sample.gt_label = torch.tensor([1])
    sample.pred_score = torch.tensor([0.2, 0.7, 0.1])
    batch = dict(inputs=[torch.randint(0, 255, (1, 3, 4, 16, 16)).float()])
    loader = SimpleNamespace(dataset=SimpleNamespace(
        metainfo=dict(classes=('a', 'b', 'c'))))
    runner = SimpleNamespace(test_dataloader=loader)
    ClipVisualizationHook(enable=False, out_dir=str(tmp_path)).\
        after_test_iter(runner, 0, batch, [sample])
    assert not list(tmp_path.iterdir())
    ClipVisualizationHook(enable=True, out_dir=str(tmp_path)).\
        after_test_iter(runner, 0, batch, [sample])
    import cv2
    drawn = cv2.imread(str(tmp_path / 'clip_0.mp4.png'))
    assert drawn.shape == (22 + 16, 4 * 16, 3)
