"""Helpers shared by ``tools/train.py`` and ``tools/test.py``.

They keep the entry points thin: input checks that fail early with a clear
message and CPU-only distributed set-up. What changes a run's behaviour
lives in registered components that a config names, so ``mim train`` /
``mim test`` behave the same (uniformer_mm's hooks: PretrainedHook,
BackboneAutocastHook, ClipVisualizationHook, RankZeroLoggerHook; its atomic
checkpoint file backend). Nothing here is specific to one toolbox; the config's
``default_scope`` picks the toolbox.
"""
import contextlib
import glob
import importlib
import os
import os.path as osp
import signal
import subprocess
import sys

import torch

__all__ = [
    'ToolError', 'run_cli', 'guard_checkpoint_loading', 'load_config',
    'setup_launcher', 'check_data', 'check_pretrained', 'check_checkpoint',
    'terminate_on_sigterm',
    'use_matplotlib_for_mmpose', 'finish_distributed'
]


class ToolError(SystemExit):
    """A user error: exits with status 2 and the message, no traceback."""

    def __init__(self, msg):
        super().__init__(f'error: {msg}')
        self.code = 2

    def __str__(self):
        return str(self.args[0])


def run_cli(main):
    """Run a tool's ``main``; a :class:`ToolError` prints its message (no
    traceback) and exits with status 2."""
    try:
        main()
    except ToolError as e:
        print(str(e), file=sys.stderr)
        sys.exit(2)


# ------------------------------------------------------------ start-up


def guard_checkpoint_loading():
    """Make MMEngine read checkpoints without running code from them.

    Importing ``uniformer_mm`` guards MMEngine's checkpoint loaders (see
    ``uniformer_mm.weights.safe_load``) and registers the backbone.
    """
    importlib.import_module('uniformer_mm')


def load_config(path, cfg_options=None):
    """``Config.fromfile`` with a clear error for a missing file."""
    from mmengine.config import Config
    if not osp.isfile(path):
        hint = ''
        if osp.isdir(path):
            hint = ' (it is a directory)'
        raise ToolError(f'config file {path!r} does not exist{hint}')
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


# -------------------------------------------------------- distributed

_SYNC_BN_TYPES = ('SyncBN', 'MMSyncBN', 'SyncBatchNorm', 'nn.SyncBatchNorm')


def _replace_sync_bn(node):
    """Replace SyncBN norm configs with BN in place; return the count."""
    count = 0
    if isinstance(node, dict):
        if node.get('type') in _SYNC_BN_TYPES:
            node['type'] = 'BN'
            count += 1
        for value in node.values():
            count += _replace_sync_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            count += _replace_sync_bn(value)
    return count


def _slurm_env(port):
    proc_id = int(os.environ['SLURM_PROCID'])
    ntasks = int(os.environ['SLURM_NTASKS'])
    node_list = os.environ['SLURM_NODELIST']
    addr = subprocess.getoutput(
        f'scontrol show hostname {node_list} | head -n1').strip()
    os.environ.setdefault('MASTER_PORT', str(port))
    os.environ.setdefault('MASTER_ADDR', addr or '127.0.0.1')
    os.environ['WORLD_SIZE'] = str(ntasks)
    os.environ['RANK'] = str(proc_id)
    os.environ['LOCAL_RANK'] = os.environ.get('SLURM_LOCALID', '0')


def _mpi_env(port):
    os.environ['RANK'] = os.environ['OMPI_COMM_WORLD_RANK']
    os.environ['WORLD_SIZE'] = os.environ['OMPI_COMM_WORLD_SIZE']
    os.environ['LOCAL_RANK'] = os.environ['OMPI_COMM_WORLD_LOCAL_RANK']
    os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
    os.environ.setdefault('MASTER_PORT', str(port))


def setup_launcher(cfg, launcher):
    """Record the launcher in ``cfg``; on a CPU-only machine set up gloo.

    MMEngine's own initialisation assumes CUDA (it calls
    ``torch.cuda.set_device`` and defaults to NCCL). Without a GPU we create
    the gloo process group here (the Runner skips its own when one exists),
    wrap the model in DDP without ``device_ids`` and turn SyncBN into BN,
    which needs no GPU.
    """
    cfg.launcher = launcher
    if launcher == 'none' or torch.cuda.is_available():
        return
    import torch.distributed as dist
    from mmengine.logging import print_log

    port = cfg.get('env_cfg', {}).get('dist_cfg', {}).get('port', 29500)
    try:
        if launcher == 'slurm':
            _slurm_env(port)
        elif launcher == 'mpi':
            _mpi_env(port)
        missing = [
            k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT')
            if k not in os.environ
        ]
    except KeyError as e:
        raise ToolError(f'--launcher {launcher}: environment variable {e} '
                        'is not set; start the job with its launcher') from e
    if missing:
        raise ToolError(
            f'--launcher {launcher} needs {", ".join(missing)} in the '
            'environment; start it with tools/train.sh / tools/test.sh '
            '(torchrun) or use --launcher none')
    os.environ.setdefault('LOCAL_RANK', '0')
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    cfg.merge_from_dict({'env_cfg.dist_cfg.backend': 'gloo'})
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    if wrapper.get('type', 'MMDistributedDataParallel') in (
            'MMDistributedDataParallel', 'MMSeparateDistributedDataParallel'):
        wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    _fsdp_on_cpu(cfg)
    n = _replace_sync_bn(cfg._cfg_dict)
    if dist.get_rank() == 0:
        print_log(
            f'no CUDA device: {dist.get_world_size()} CPU processes with '
            f'gloo' +
            (f'; {n} SyncBN layer config(s) replaced by BN' if n else ''),
            logger='current')


def _fsdp_on_cpu(cfg):
    """FlexibleRunner + FSDPStrategy: keep the shards on the CPU.

    MMEngine passes ``device_id=LOCAL_RANK`` to FSDP, a CUDA device.
    """
    strategy = cfg.get('strategy')
    if cfg.get('runner_type') != 'FlexibleRunner' or not strategy or \
            not str(strategy.get('type')).endswith('FSDPStrategy'):
        return
    wrapper = strategy.get('model_wrapper') or dict(
        type='MMFullyShardedDataParallel')
    wrapper['device_id'] = 'cpu'
    strategy['model_wrapper'] = wrapper


def finish_distributed():
    """Wait for every rank, then close the process group.

    Without this, a rank that exits while another still tears down its gloo
    connections can be aborted (SIGABRT) and torchrun reports a failure.
    """
    import torch.distributed as dist
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


# ----------------------------------------------------------- data checks

_HINT = ('generate the demo data with `python tools/dataset_converters/'
         'make_demo_data.py`, or point the config at your data with '
         '--cfg-options')


def _is_remote(path):
    return '://' in str(path)


def _dataset_paths(ds, where):
    """Yield (description, path) pairs of local files a dataset reads."""
    if not isinstance(ds, dict):
        return
    if 'dataset' in ds:  # RepeatDataset, ClassBalancedDataset, ...
        yield from _dataset_paths(ds['dataset'], f'{where}.dataset')
    for i, sub in enumerate(ds.get('datasets') or []):  # ConcatDataset
        yield from _dataset_paths(sub, f'{where}.datasets[{i}]')
    root = ds.get('data_root') or ''
    if root:
        yield f'{where}.data_root', root
    ann = ds.get('ann_file')
    if isinstance(ann, str) and ann:
        yield f'{where}.ann_file', ann if osp.isabs(ann) else osp.join(
            root, ann)
    prefix = ds.get('data_prefix')
    items = prefix.items() if isinstance(prefix, dict) else [('', prefix)]
    for key, value in items:
        if isinstance(value, str) and value:
            name = f'{where}.data_prefix' + (f'.{key}' if key else '')
            yield name, value if osp.isabs(value) else osp.join(root, value)


def _evaluator_paths(evaluator, where):
    evaluators = evaluator if isinstance(evaluator,
                                         (list, tuple)) else [evaluator]
    for i, ev in enumerate(evaluators):
        if isinstance(ev, dict) and isinstance(ev.get('ann_file'), str):
            suffix = f'[{i}]' if len(evaluators) > 1 else ''
            yield f'{where}{suffix}.ann_file', ev['ann_file']


def check_data(cfg, phases):
    """Fail early, naming the config key, when a data path does not exist.

    Args:
        cfg (Config): the full config.
        phases (list[str]): any of ``'train'``, ``'val'``, ``'test'``.
    """
    problems = []
    for phase in phases:
        loader = cfg.get(f'{phase}_dataloader')
        if not loader:
            continue
        paths = list(
            _dataset_paths(
                loader.get('dataset'), f'{phase}_dataloader.dataset'))
        paths += list(
            _evaluator_paths(
                cfg.get(f'{phase}_evaluator'), f'{phase}_evaluator'))
        missing_roots = []
        for name, path in paths:
            if _is_remote(path) or osp.exists(path):
                continue
            if any(
                    osp.abspath(path).startswith(osp.abspath(root) + os.sep)
                    for root in missing_roots):
                continue  # report a missing root once, not every file in it
            if name.endswith('.data_root'):
                missing_roots.append(path)
            problems.append(f'  {name}: {path!r}')
    if problems:
        seen, lines = set(), []
        for line in problems:
            if line not in seen:
                seen.add(line)
                lines.append(line)
        raise ToolError('data not found (does the data root exist?):\n' +
                        '\n'.join(lines) + f'\nFix: {_HINT}.')


# ----------------------------------------------------------- checkpoints


def check_pretrained(cfg):
    """Stop in seconds when the weights a training run starts from are
    missing (the PretrainedHook would stop only after the data is loaded).
    """
    from uniformer_mm.weights import check_pretrained_files
    try:
        check_pretrained_files(cfg)
    except (FileNotFoundError, ValueError) as e:
        raise ToolError(str(e)) from e


def _unwrap(model):
    from mmengine.model import is_model_wrapper
    return model.module if is_model_wrapper(model) else model


def _unreadable_checkpoint(path, what, error):
    """The error for a file ``torch.load`` refuses, naming the checkpoints
    beside it (a truncated file leaves the earlier ones usable)."""
    damaged = isinstance(error, EOFError) or 'PytorchStreamReader' in str(
        error)
    lines = [
        f'cannot read {what} {path!r}' +
        (f' (truncated or corrupt: {osp.getsize(path)} bytes)'
         if damaged else '') + f': {type(error).__name__}: {str(error)[:300]}'
    ]
    folder = osp.dirname(osp.abspath(path))
    others = sorted((p for p in glob.glob(osp.join(folder, '*.pth'))
                     if osp.isfile(p) and not osp.samefile(p, path)),
                    key=osp.getmtime,
                    reverse=True)
    if others:
        newest = osp.relpath(others[0])
        lines.append(f'other checkpoints in {osp.relpath(folder)} (newest '
                     'first): ' + ', '.join(osp.basename(p) for p in others))
        lines.append(f'use one instead, e.g. --resume {newest}' if what.
                     startswith('--resume') else f'use one instead: {newest}')
    return ToolError('\n'.join(lines))


def check_checkpoint(model, path, what='checkpoint'):
    """Fail clearly when ``path`` is not a checkpoint of ``model``'s arch.

    MMEngine loads checkpoints non-strictly and only logs a warning for
    weights that do not fit, which would test (or resume) a half-random
    model. Here every weight of the model must be present with its shape;
    extra weights in the file are fine. With the FlexibleRunner (FSDP,
    DeepSpeed) the model is built later, by the strategy: only the file is
    checked, and sharded checkpoint folders are left to the strategy.
    """
    if _is_remote(path):
        return
    if not osp.exists(path):
        raise ToolError(f'{what} {path!r} does not exist')
    if osp.isdir(path):
        return  # FSDP local / DeepSpeed shards: the strategy reads them
    from uniformer_mm.weights import (UnsafeCheckpointError,
                                      load_checkpoint_file)
    try:
        ckpt = load_checkpoint_file(path)
    except UnsafeCheckpointError as e:
        raise ToolError(str(e)) from e
    except Exception as e:  # noqa: BLE001 - any unreadable file
        raise _unreadable_checkpoint(path, what, e) from e
    if not isinstance(model, torch.nn.Module):
        return
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state:
        raise ToolError(f'{what} {path!r} holds no state dict')
    state = {
        (k[7:] if k.startswith('module.') else k): v
        for k, v in state.items()
    }
    own = _unwrap(model).state_dict()
    missing = [k for k in own if k not in state]
    wrong = [(k, tuple(state[k].shape), tuple(v.shape))
             for k, v in own.items()
             if k in state and hasattr(state[k], 'shape')
             and tuple(state[k].shape) != tuple(v.shape)]
    if not missing and not wrong:
        return
    lines = [
        f'{what} {path!r} does not fit the model of this config '
        '(trained with another arch or config?):'
    ]
    if missing:
        lines.append(f'  {len(missing)} of {len(own)} model weights are '
                     'missing from it, e.g. ' + ', '.join(missing[:3]))
    if wrong:
        lines.append(f'  {len(wrong)} weights have another shape, e.g. ' +
                     ', '.join(f'{k}: file {a} vs model {b}'
                               for k, a, b in wrong[:3]))
    raise ToolError('\n'.join(lines))


def terminate_on_sigterm():
    """Turn SIGTERM into SystemExit so clean-up code runs (like Ctrl-C)."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, handler)


# ------------------------------------------------------- visualization


def use_matplotlib_for_mmpose(cfg):
    """Draw mmpose results with matplotlib under numpy >= 2.

    mmpose 1.3.2's OpenCV backend calls int() on a 1-element array, which
    numpy >= 2 rejects; the matplotlib backend draws the same.
    """
    import numpy as np
    if (cfg.visualizer.get('backend', 'opencv') == 'opencv'
            and int(np.__version__.split('.')[0]) >= 2):
        cfg.visualizer.backend = 'matplotlib'
