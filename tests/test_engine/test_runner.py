"""uniformer_mm.Runner / uniformer_mm.FlexibleRunner: registered for every
toolbox's scripts, the run checks, the CPU adaptations (each logged), the
explicit AMP choice without a GPU."""
import os
import signal

import pytest
import torch
import torch.distributed as dist
from helpers import build_model, free_port, load

from uniformer_mm.engine import FlexibleRunner, Runner
from uniformer_mm.engine.runner import (prepare_run_config, replace_sync_bn,
                                        terminate_on_sigterm,
                                        use_matplotlib_for_mmpose)
from uniformer_mm.utils.cli import build_runner
from uniformer_mm.utils.demo_data import data_options, make_task
from uniformer_mm.utils.errors import FixableError
from uniformer_mm.utils.toolboxes import TOOLBOX_REGISTRIES, toolbox_registry

no_gpu = pytest.mark.skipif(torch.cuda.is_available(),
                            reason='the CPU path of the runner')


@pytest.mark.parametrize('scope', ['mmengine', *TOOLBOX_REGISTRIES])
def test_registered_for_every_toolbox_script(scope):
    """mmengine's and the toolboxes' RUNNERS (what their train/test
    scripts build with) find our runners by the configs' names."""
    if scope == 'mmengine':
        from mmengine.registry import RUNNERS
    else:
        RUNNERS = toolbox_registry(scope).RUNNERS
    assert RUNNERS.get('uniformer_mm.Runner') is Runner
    assert RUNNERS.get('uniformer_mm.FlexibleRunner') is FlexibleRunner
    assert RUNNERS.get('Runner') is not Runner  # the bare name is MMEngine's


def test_flexible_configs_select_our_flexible_runner():
    for config in ('configs/cls/uniformer_l_tl_300e_in1k_fsdp.py',
                   'configs/cls/uniformer_l_tl_300e_in1k_deepspeed.py',
                   'configs/action/uniformer_b_32x4_k400_fsdp.py',
                   'configs/action/uniformer_b_32x4_k400_deepspeed.py'):
        assert load(config).runner_type == 'uniformer_mm.FlexibleRunner'


def test_replace_sync_bn():
    cfg = dict(
        a=dict(norm_cfg=dict(type='SyncBN', requires_grad=True)),
        b=[dict(type='MMSyncBN'), dict(type='BN')])
    assert replace_sync_bn(cfg) == 2
    assert cfg['a']['norm_cfg']['type'] == cfg['b'][0]['type'] == 'BN'


def amp_cfg(task='det', **extra):
    cfg = load(f'configs/demo/{task}_demo.py')
    cfg.optim_wrapper.type = 'AmpOptimWrapper'
    cfg.optim_wrapper.loss_scale = 'dynamic'
    cfg.merge_from_dict(extra)
    return cfg


@no_gpu
def test_amp_without_gpu_is_an_explicit_choice():
    """No silent swap: without cpu_amp the run stops and names both
    choices; each choice is applied as named and logged."""
    with pytest.raises(FixableError) as e:
        prepare_run_config(amp_cfg())
    for words in ("optim_wrapper.type='AmpOptimWrapper' (--amp) needs a CUDA",
                  'cpu_amp=bf16', 'cpu_amp=fp32', 'BackboneAutocastHook'):
        assert words in str(e.value)
    with pytest.raises(FixableError, match="got cpu_amp='fp16'"):
        prepare_run_config(amp_cfg(cpu_amp='fp16'))

    cfg = amp_cfg(cpu_amp='bf16')
    notes, _ = prepare_run_config(cfg)
    assert cfg.optim_wrapper.type == 'OptimWrapper'
    assert 'loss_scale' not in cfg.optim_wrapper
    assert dict(type='uniformer_mm.BackboneAutocastHook') in cfg.custom_hooks
    assert any('cpu_amp=bf16' in n and 'bfloat16' in n for n in notes)

    cfg = amp_cfg(cpu_amp='fp32')
    notes, _ = prepare_run_config(cfg)
    assert cfg.optim_wrapper.type == 'OptimWrapper'
    assert not any('Autocast' in str(h) for h in cfg.get('custom_hooks', []))
    assert any('float32' in n for n in notes)

    with pytest.raises(FixableError, match='not available with the Flexible'):
        prepare_run_config(amp_cfg(cpu_amp='bf16'), flexible=True)


def test_no_amp_no_note():
    notes, created = prepare_run_config(load('configs/demo/seg_demo.py'))
    assert notes == [] and not created


def test_missing_files_stop_before_anything_is_built(tmp_path):
    cfg = load('configs/demo/det_demo.py')
    cfg.work_dir = str(tmp_path)
    cfg.resume, cfg.load_from = True, str(tmp_path / 'iter_9.pth')
    with pytest.raises(FixableError,
                       match=r"--resume checkpoint '.*iter_9.pth' does not "
                       'exist'):
        Runner.from_cfg(cfg)
    cfg = load('configs/demo/det_demo.py')
    cfg.work_dir = str(tmp_path)
    cfg.pretrained = 'checkpoints/uniformer_xxs_224_in1k.pth'
    cfg.model.backbone.init_cfg = dict(type='Pretrained')
    with pytest.raises(FixableError,
                       match="'checkpoints/uniformer_xxs_224_in1k.pth' not "
                       'found'):
        Runner.from_cfg(cfg)
    assert not os.listdir(tmp_path)  # no log folder: nothing was built


def test_mmpose_draws_with_matplotlib():
    import numpy as np
    cfg = load('configs/pose/topdown_heatmap_uniformer_s_210e_coco_256x192.py')
    cfg.visualizer.backend = 'opencv'
    changed = use_matplotlib_for_mmpose(cfg)
    assert changed == (int(np.__version__.split('.')[0]) >= 2)
    assert not use_matplotlib_for_mmpose(load('configs/demo/cls_demo.py'))
    # the pose demo names the backend itself (mmpose's own scripts build
    # MMEngine's Runner, whatever runner_type says)
    assert load('configs/demo/pose_demo.py').visualizer.backend == \
        'matplotlib'


def test_sigterm_becomes_system_exit():
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        terminate_on_sigterm()
        handler = signal.getsignal(signal.SIGTERM)
        with pytest.raises(SystemExit) as e:
            handler(signal.SIGTERM, None)
        assert e.value.code == 128 + signal.SIGTERM
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        terminate_on_sigterm()  # someone else's handler is kept
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)


@no_gpu
def test_cpu_processes_over_gloo(monkeypatch):
    """--launcher pytorch without CUDA: a gloo group, DDP without
    device_ids, FSDP shards on the CPU, SyncBN as BN; all logged."""
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', free_port())
    cfg = load('configs/seg/upernet_uniformer_s_160k_ade20k.py')
    cfg.launcher = 'pytorch'
    try:
        notes, created = prepare_run_config(cfg)
        assert created and dist.is_initialized()
        assert dist.get_backend() == 'gloo'
        assert cfg.model_wrapper_cfg.device_ids is None
        assert cfg.env_cfg.dist_cfg.backend == 'gloo'
        assert cfg.model.decode_head.norm_cfg.type == 'BN'
        assert any('1 CPU processes with gloo' in n and 'SyncBN' in n
                   for n in notes), notes

        fsdp = load('configs/cls/uniformer_l_tl_300e_in1k_fsdp.py')
        fsdp.launcher = 'pytorch'
        notes, created = prepare_run_config(fsdp, flexible=True)
        assert not created  # the group exists already
        assert fsdp.strategy.model_wrapper.device_id == 'cpu'
        assert fsdp.strategy.model_wrapper.use_orig_params
    finally:
        dist.destroy_process_group()


def test_launcher_without_its_environment(monkeypatch):
    if torch.cuda.is_available():
        pytest.skip('the CPU path of the runner')
    for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
        monkeypatch.delenv(key, raising=False)
    cfg = load('configs/demo/cls_demo.py')
    cfg.launcher = 'pytorch'
    with pytest.raises(FixableError, match='tools/train.sh'):
        prepare_run_config(cfg)


def test_atomic_checkpoint_writes(tmp_path):
    """The demo configs (and the paper configs they inherit) save through
    the atomic backend: a write that fails leaves no partial file."""
    from mmengine.fileio import get_file_backend
    for task in ('cls', 'det', 'seg', 'pose', 'action'):
        hooks = load(f'configs/demo/{task}_demo.py').default_hooks
        args = hooks.checkpoint.backend_args
        assert args == dict(backend='uniformer_mm_atomic_local'), task
    backend = get_file_backend(str(tmp_path), backend_args=dict(args))
    target = tmp_path / 'epoch_1.pth'
    backend.put(b'complete', str(target))
    assert target.read_bytes() == b'complete'

    with pytest.raises(TypeError):  # fails while writing
        backend.put(object(), str(tmp_path / 'epoch_2.pth'))
    assert sorted(os.listdir(tmp_path)) == ['epoch_1.pth']


def test_tested_checkpoint_must_fit(tmp_path):
    """runner.test() (tools/test.py and mim test) refuses a checkpoint of
    another arch, which MMEngine would load with a warning only."""
    data = str(tmp_path / 'data')
    make_task(data, 'cls')
    other = load('configs/demo/cls_demo.py')
    other.model.head.num_classes = 7
    ckpt = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict=build_model(other).state_dict()), ckpt)

    cfg = load('configs/demo/cls_demo.py')
    cfg.merge_from_dict(
        dict(o.split('=', 1) for o in data_options('cls', data)))
    cfg.work_dir = str(tmp_path / 'work')
    cfg.load_from = ckpt
    runner = build_runner(cfg)
    with pytest.raises(FixableError) as e:
        runner.test()
    assert 'does not fit the model' in str(e.value)
    assert 'head.fc.weight: file (7, 96) vs model (4, 96)' in str(e.value)
