"""FSDP and DeepSpeed through MMEngine's FlexibleRunner, on CPU.

The example configs (``*_fsdp.py``, ``*_deepspeed.py``) must keep the recipe
of the DDP config they scale out; their strategy block is then run on 2 CPU
processes (gloo) with ``tools/train.sh`` on the tiny classification demo.
"""
import copy
import os
import os.path as osp
import sys

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import FUNCTIONS, init_default_scope
from helpers import REPO, build_model, free_port, load, run

from uniformer_mm.models import UniFormer
from uniformer_mm.utils.demo_data import make_task
from uniformer_mm.weights import load_checkpoint_file

# scale-out config -> the DDP config whose recipe it keeps
SCALE_OUT = {
    'configs/cls/uniformer_l_tl_300e_in1k_fsdp.py':
    'configs/cls/uniformer_l_tl_300e_in1k.py',
    'configs/cls/uniformer_l_tl_300e_in1k_deepspeed.py':
    'configs/cls/uniformer_l_tl_300e_in1k.py',
    'configs/action/uniformer_b_32x4_k400_fsdp.py':
    'configs/action/uniformer_b_32x4_k400.py',
    'configs/action/uniformer_b_32x4_k400_deepspeed.py':
    'configs/action/uniformer_b_32x4_k400.py',
}
SAME_KEYS = ('model', 'pretrained', 'load_from', 'train_dataloader',
             'val_dataloader', 'test_dataloader', 'param_scheduler',
             'train_cfg', 'auto_scale_lr', 'default_hooks', 'default_scope')


@pytest.mark.parametrize('config', SCALE_OUT)
def test_scale_out_config_keeps_the_ddp_recipe(config):
    cfg, ddp = load(config), load(SCALE_OUT[config])
    for key in SAME_KEYS:
        assert cfg.get(key) == ddp.get(key), key
    optim, ddp_optim = cfg.optim_wrapper, ddp.optim_wrapper
    assert optim.optimizer == ddp_optim.optimizer
    assert optim.paramwise_cfg == ddp_optim.paramwise_cfg
    assert cfg.runner_type == 'uniformer_mm.FlexibleRunner'
    strategy = cfg.strategy
    if strategy.type == 'uniformer_mm.FSDPStrategy':
        wrapper = strategy.model_wrapper
        assert wrapper.use_orig_params is True
        assert FUNCTIONS.get(wrapper.auto_wrap_policy.type) is not None
        assert strategy.state_dict_cfg == 'full'
        assert optim.constructor == \
            'uniformer_mm.FullShapeOptimWrapperConstructor'
        # EMAHook deep-copies the model, which FSDP modules refuse
        assert not cfg.get('custom_hooks')
    else:
        assert strategy.type == 'DeepSpeedStrategy'
        assert strategy.zero_optimization.stage == 2
        assert strategy.train_micro_batch_size_per_gpu == \
            cfg.train_dataloader.batch_size
        assert optim.type == 'DeepSpeedOptimWrapper'
        assert cfg.get('custom_hooks') == ddp.get('custom_hooks')


def tiny_classifier():
    model = nn.Module()
    model.backbone = UniFormer(
        arch=dict(
            depths=[1, 1, 2, 1],
            embed_dims=[16, 32, 64, 96],
            head_dim=16,
            mlp_ratio=4))
    model.head = nn.Linear(96, 4)
    return model


def test_block_wrap_policy_and_flat_parameters(tmp_path):
    """One FSDP unit per UniFormer block, the rest in the root unit; layer
    decay refuses flat parameters (use_orig_params=False), whose groups
    would hold views that FSDP does not train."""
    import torch.distributed as dist
    from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
    policy = FUNCTIONS.get(
        'uniformer_mm.engine.fsdp.uniformer_block_wrap_policy')
    dist.init_process_group(
        'gloo', init_method=f'file://{tmp_path}/pg', rank=0, world_size=1)
    try:
        wrapped = FSDP(
            tiny_classifier(),
            auto_wrap_policy=policy,
            device_id=torch.device('cpu'),
            use_orig_params=True)
        units = [n for n, m in wrapped.named_modules() if isinstance(m, FSDP)]
        flat = FSDP(
            tiny_classifier(),
            device_id=torch.device('cpu'),
            use_orig_params=False)
        with pytest.raises(ValueError, match='use_orig_params=True'):
            build_optim_wrapper(
                flat,
                dict(
                    optimizer=dict(type='AdamW', lr=1e-3),
                    constructor='uniformer_mm.'
                    'LayerDecayOptimWrapperConstructor',
                    paramwise_cfg=dict(layer_decay_rate=0.9)))
    finally:
        dist.destroy_process_group()
    blocks = [
        f'_fsdp_wrapped_module.backbone.blocks{i}.{j}'
        for i, depth in enumerate([1, 1, 2, 1], start=1)
        for j in range(depth)
    ]
    assert sorted(units) == sorted([''] + blocks)


# ------------------------------------------------- 2 CPU processes
def strategy_block(config: str) -> str:
    """The config lines of an example config's runner and strategy."""
    cfg = load(config)
    return (f"runner_type = {cfg.runner_type!r}\n"
            f"strategy = {cfg.strategy.to_dict()!r}\n")


@pytest.fixture(scope='module')
def cls_demo(tmp_path_factory):
    root = tmp_path_factory.mktemp('scale_out')
    make_task(str(root / 'data' / 'demo'), 'cls')
    return root


def write_config(folder, text: str) -> str:
    path = str(folder / 'scale_out_demo.py')
    base = osp.join(REPO, 'configs', 'demo', 'cls_demo.py')
    with open(path, 'w') as f:
        f.write(f"_base_ = '{base}'\n" + text)
    return path


def plain_groups(config: str) -> dict:
    """``param name -> (lr, weight decay)`` without any wrapper."""
    cfg = Config.fromfile(config)
    model = build_model(cfg)
    init_default_scope(cfg.default_scope)
    optim_wrapper = build_optim_wrapper(model,
                                        copy.deepcopy(cfg.optim_wrapper))
    return {
        g['param_name']: (g['lr'], g['weight_decay'])
        for g in optim_wrapper.optimizer.param_groups
    }, model


LAYER_DECAY = """
optim_wrapper = dict(
    constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.75))
model = dict(backbone=dict(frozen_stages=0))  # the stem stays as loaded
train_dataloader = dict(dataset=dict(indices=64))  # 1 iteration per epoch
train_cfg = dict(max_epochs=2, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=1))
"""


def train_then_resume(config, root, tmp_path, pythonpath=None) -> str:
    """1 epoch on 2 CPU processes, then --resume to the 2nd; the work dir.
    ``pythonpath`` goes before the repository on the processes' path."""
    work_dir = str(tmp_path / 'work')
    env = {} if pythonpath is None else dict(
        PYTHONPATH=os.pathsep.join([pythonpath, REPO]))
    train = [
        'bash',
        osp.join(REPO, 'tools', 'train.sh'), config, '2', '--work-dir',
        work_dir, '--no-validate'
    ]
    code, out = run(
        train + ['--cfg-options', 'train_cfg.max_epochs=1'],
        str(root),
        env=dict(env, PORT=free_port()))
    assert code == 0, out[-3000:]
    assert 'layer-wise lr decay 0.75 over 7 layers' in out
    code, out = run(
        train + ['--resume'], str(root), env=dict(env, PORT=free_port()))
    assert code == 0, out[-3000:]
    assert 'resumed epoch: 1, iter: 1' in out, out[-3000:]
    return work_dir


@pytest.mark.slow
def test_fsdp_two_cpu_processes(cls_demo, tmp_path):
    """The FSDP block of the L config trains a tiny UniFormer on 2 gloo
    processes and resumes (MMEngine's own FSDPStrategy cannot on this
    torch); per-parameter lr / weight decay equal those of the unwrapped
    model (sharded 1-D views would drop every weight's decay), frozen
    parameters stay as loaded, the checkpoint is a plain full state dict.
    """
    config = write_config(
        tmp_path,
        strategy_block('configs/cls/uniformer_l_tl_300e_in1k_fsdp.py') +
        LAYER_DECAY + "load_from = 'start.pth'\n")
    expected, model = plain_groups(config)
    model.init_weights()
    start = model.state_dict()
    torch.save({'state_dict': start}, str(cls_demo / 'start.pth'))

    work_dir = train_then_resume(config, cls_demo, tmp_path)

    ckpt = load_checkpoint_file(osp.join(work_dir, 'epoch_2.pth'))
    assert sorted(ckpt['state_dict']) == sorted(start)
    groups = {
        g['params'][0]: (g['initial_lr'], g['weight_decay'])
        for g in ckpt['optimizer']['param_groups']
    }
    assert sorted(groups) == sorted(expected)
    for name, (lr, decay) in expected.items():
        assert groups[name] == (pytest.approx(lr), decay), name
    assert not [n for n in groups if n.startswith('backbone.patch_embed1.')]
    for name in ('backbone.patch_embed1.proj.weight',
                 'backbone.patch_embed1.norm.bias'):
        assert torch.equal(ckpt['state_dict'][name], start[name])
    trained = 'backbone.blocks3.0.attn.qkv.weight'
    assert not torch.equal(ckpt['state_dict'][trained], start[trained])


#: Where tools/install.sh puts DeepSpeed: off the default import path, as
#: every `import mmengine.runner` would import it (requirements/deepspeed.txt).
DEEPSPEED = osp.join(sys.prefix, 'extras', 'deepspeed')


@pytest.mark.slow
def test_deepspeed_zero2_two_cpu_processes(cls_demo, tmp_path):
    """The ZeRO-2 block of the L config trains a tiny UniFormer with layer
    decay on 2 CPU processes (DeepSpeed's CPU accelerator over gloo) and
    resumes, with DeepSpeed put on the path as the docs say."""
    if not osp.isdir(osp.join(DEEPSPEED, 'deepspeed')):
        pytest.fail(f'DeepSpeed is not in {DEEPSPEED}: run tools/install.sh')
    ds = load('configs/cls/uniformer_l_tl_300e_in1k_deepspeed.py')
    strategy = ds.strategy.to_dict()
    strategy['train_micro_batch_size_per_gpu'] = 32  # the demo batch
    config = write_config(
        tmp_path, f"runner_type = {ds.runner_type!r}\n"
        f"strategy = {strategy!r}\n" + LAYER_DECAY.replace(
            'optim_wrapper = dict(', 'optim_wrapper = dict(_delete_=True, '
            "type='DeepSpeedOptimWrapper', "
            "optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05),"))
    work_dir = train_then_resume(config, cls_demo, tmp_path,
                                 pythonpath=DEEPSPEED)
    saved = osp.join(work_dir, 'epoch_2.pth')
    assert osp.isfile(osp.join(saved, 'mp_rank_00_model_states.pt'))
    for rank in (0, 1):  # the optimizer states, partitioned
        assert osp.isfile(
            osp.join(saved, f'zero_pp_rank_{rank}_mp_rank_00_optim_states.pt'))
