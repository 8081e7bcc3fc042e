"""``uniformer_mm.Runner`` and ``uniformer_mm.FlexibleRunner``.

MMEngine's ``Runner`` / ``FlexibleRunner`` with what a run of this project
needs around them, selected by the configs (``runner_type =
'uniformer_mm.Runner'``), so that ``tools/train.py`` / ``tools/test.py``
and the toolboxes' own scripts (``mim train`` / ``mim test``, which build
``RUNNERS.build(cfg)`` when a config names a ``runner_type``) behave the
same. In :meth:`from_cfg`, before anything is built:

* the pretrained and ``--resume`` files must exist
  (:func:`uniformer_mm.weights.check_pretrained_files`);
* ``optim_wrapper.type='AmpOptimWrapper'`` (``--amp``) on a machine without
  CUDA, which MMEngine's AmpOptimWrapper refuses, follows the config key
  ``cpu_amp``: ``'bf16'`` trains float32 weights with the backbone under
  bfloat16 autocast (``uniformer_mm.BackboneAutocastHook``), ``'fp32'``
  trains in float32; without the key the run stops and says so;
* a distributed launch without CUDA becomes CPU processes over gloo:
  MMEngine's ``init_dist`` assumes a GPU, so the process group is created
  here, DDP gets no ``device_ids``, FSDP keeps its shards on the CPU and
  SyncBN configs become BN;
* mmpose draws with matplotlib under numpy >= 2 (its OpenCV backend
  fails there);
* SIGTERM ends the run like Ctrl-C (clean-up code runs, no partial files).

Then :meth:`train` / :meth:`val` / :meth:`test` check the data paths of the
phase before the dataloaders are built, and a checkpoint that is resumed or
tested must fit the model (MMEngine loads non-strictly and only warns).
Every adaptation is logged. A problem is a
:class:`~uniformer_mm.utils.errors.FixableError` naming the fix.
"""
import atexit
import contextlib
import copy
import os
import signal
import subprocess

import torch
from mmengine.runner import FlexibleRunner as MMEngineFlexibleRunner
from mmengine.runner import Runner as MMEngineRunner
from mmengine.runner import find_latest_checkpoint

from uniformer_mm.registry import RUNNERS
from uniformer_mm.utils.checks import check_checkpoint, check_data, is_remote
from uniformer_mm.utils.errors import FixableError

__all__ = [
    'Runner', 'FlexibleRunner', 'prepare_run_config',
    'replace_sync_bn', 'use_matplotlib_for_mmpose'
]

SYNC_BN_TYPES = ('SyncBN', 'MMSyncBN', 'SyncBatchNorm', 'nn.SyncBatchNorm')
CPU_AMP_CHOICES = ('bf16', 'fp32')
_DDP_WRAPPERS = ('MMDistributedDataParallel',
                 'MMSeparateDistributedDataParallel')


def _type_name(cfg) -> str:
    return str((cfg or {}).get('type', '')).split('.')[-1]


# ---------------------------------------------------------------- config


def replace_sync_bn(node) -> int:
    """Replace SyncBN norm configs with BN in place; return the count."""
    count = 0
    if isinstance(node, dict):
        if node.get('type') in SYNC_BN_TYPES:
            node['type'] = 'BN'
            count += 1
        for value in node.values():
            count += replace_sync_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            count += replace_sync_bn(value)
    return count


def use_matplotlib_for_mmpose(cfg) -> bool:
    """Draw mmpose results with matplotlib under numpy >= 2; return whether
    the config was changed.

    mmpose 1.3.2's OpenCV backend calls ``int()`` on a 1-element array,
    which numpy >= 2 rejects; the matplotlib backend draws the same.
    """
    import numpy as np
    visualizer = cfg.get('visualizer')
    if (not isinstance(visualizer, dict)
            or (cfg.get('default_scope') or '').split('.')[0] != 'mmpose'
            or visualizer.get('backend', 'opencv') != 'opencv'
            or int(np.__version__.split('.')[0]) < 2):
        return False
    visualizer['backend'] = 'matplotlib'
    return True


def _check_checkpoint_files(cfg) -> None:
    """A missing ``--resume`` file or pretrained file stops the run before
    anything is built."""
    from uniformer_mm.weights import check_pretrained_files
    load_from = cfg.get('load_from')
    if (cfg.get('resume') and load_from and not is_remote(load_from)
            and not os.path.exists(load_from)):
        raise FixableError(
            f'--resume checkpoint {load_from!r} does not exist; give an '
            'existing file, or --resume without a value for the latest '
            'checkpoint of the work dir')
    if cfg.get('resume') and load_from and os.path.isdir(load_from):
        return  # a sharded checkpoint folder, read by the strategy
    try:
        check_pretrained_files(cfg)
    except (FileNotFoundError, ValueError) as e:
        raise FixableError(str(e)) from e


def _cpu_amp(cfg, flexible: bool):
    """Resolve ``AmpOptimWrapper`` on a machine without CUDA (``cpu_amp``);
    return the line to log, or None when the config asks for no AMP."""
    optim = cfg.get('optim_wrapper')
    if not isinstance(optim, dict) or \
            _type_name(optim) != 'AmpOptimWrapper':
        return None
    if torch.cuda.is_available():
        return ('mixed precision: AmpOptimWrapper (dtype '
                f"{optim.get('dtype') or 'float16'}, loss scale "
                f"{optim.get('loss_scale', 'dynamic')})")
    choice = cfg.get('cpu_amp')
    if choice not in CPU_AMP_CHOICES:
        got = '' if choice is None else f' (got cpu_amp={choice!r})'
        raise FixableError(
            "optim_wrapper.type='AmpOptimWrapper' (--amp) needs a CUDA GPU "
            f'and this machine has none{got}. Choose what to run on the CPU '
            "with the config key cpu_amp: --cfg-options cpu_amp=bf16 trains "
            'float32 weights with the backbone under bfloat16 autocast '
            '(uniformer_mm.BackboneAutocastHook); cpu_amp=fp32 trains in '
            'float32 (OptimWrapper); or drop --amp')
    if flexible and choice == 'bf16':
        raise FixableError(
            'cpu_amp=bf16 is not available with the FlexibleRunner (FSDP / '
            'DeepSpeed): use cpu_amp=fp32, or the default Runner')
    optim['type'] = 'OptimWrapper'
    for key in ('loss_scale', 'dtype', 'use_fsdp'):
        optim.pop(key, None)
    if choice == 'fp32':
        return ('AmpOptimWrapper needs a CUDA GPU; none here and '
                'cpu_amp=fp32: training in float32 with OptimWrapper')
    hook = dict(type='uniformer_mm.BackboneAutocastHook')
    hooks = list(cfg.get('custom_hooks') or [])
    if not any(_type_name(h) == 'BackboneAutocastHook' for h in hooks):
        cfg['custom_hooks'] = hooks + [hook]
    return ('AmpOptimWrapper needs a CUDA GPU; none here and cpu_amp=bf16: '
            'OptimWrapper with float32 weights, the backbone under bfloat16 '
            'autocast (uniformer_mm.BackboneAutocastHook)')


# ------------------------------------------------------ CPU distributed


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


def _finish_process_group():
    import torch.distributed as dist
    if dist.is_initialized():
        dist.destroy_process_group()


def _init_gloo(cfg, launcher) -> bool:
    """Create the gloo process group MMEngine would create with NCCL;
    return whether this call created it."""
    import torch.distributed as dist
    if dist.is_initialized():
        return False
    port = ((cfg.get('env_cfg') or {}).get('dist_cfg') or {}).get(
        'port', 29500)
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
        raise FixableError(
            f'--launcher {launcher}: environment variable {e} is not set; '
            'start the job with its launcher') from e
    if missing:
        raise FixableError(
            f'--launcher {launcher} needs {", ".join(missing)} in the '
            'environment; start it with tools/train.sh / tools/test.sh '
            '(torchrun) or use --launcher none')
    os.environ.setdefault('LOCAL_RANK', '0')
    dist.init_process_group(backend='gloo')
    atexit.register(_finish_process_group)
    return True


def _cpu_distributed(cfg, flexible: bool) -> str:
    """Adapt ``cfg`` to CPU processes over gloo; return the line to log."""
    import torch.distributed as dist
    env_cfg = cfg.get('env_cfg') or {}
    env_cfg['dist_cfg'] = dict(env_cfg.get('dist_cfg') or {}, backend='gloo')
    cfg['env_cfg'] = env_cfg
    strategy = cfg.get('strategy')
    if not flexible:
        wrapper = cfg.get('model_wrapper_cfg') or dict(
            type='MMDistributedDataParallel',
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
        if _type_name(wrapper) in ('', ) + _DDP_WRAPPERS:
            wrapper['device_ids'] = None
        cfg['model_wrapper_cfg'] = wrapper
    elif strategy is None or _type_name(strategy) == 'DDPStrategy':
        strategy = strategy or dict(type='DDPStrategy')
        wrapper = strategy.get('model_wrapper') or dict(
            type='MMDistributedDataParallel', broadcast_buffers=False)
        wrapper['device_ids'] = None
        strategy['model_wrapper'] = wrapper
        cfg['strategy'] = strategy
    elif _type_name(strategy) == 'FSDPStrategy':
        # MMEngine passes device_id=LOCAL_RANK to FSDP, a CUDA device.
        wrapper = strategy.get('model_wrapper') or dict(
            type='MMFullyShardedDataParallel')
        wrapper['device_id'] = 'cpu'
        strategy['model_wrapper'] = wrapper
    n = replace_sync_bn(getattr(cfg, '_cfg_dict', cfg))
    return (f'no CUDA device: {dist.get_world_size()} CPU processes with '
            'gloo' + (f'; {n} SyncBN layer config(s) replaced by BN (SyncBN '
                      'needs GPUs)' if n else ''))


def _launcher(cfg, flexible: bool) -> str:
    launcher = cfg.get('launcher', None if flexible else 'none')
    if launcher is None:
        from mmengine.dist import infer_launcher
        launcher = infer_launcher()
    return launcher


def prepare_run_config(cfg, flexible: bool = False):
    """Check and adapt ``cfg`` in place for this machine (see the module
    docstring); return ``(lines to log, whether a gloo process group was
    created)``."""
    _check_checkpoint_files(cfg)
    notes = [_cpu_amp(cfg, flexible)]
    created = False
    launcher = _launcher(cfg, flexible)
    if launcher != 'none' and not torch.cuda.is_available():
        created = _init_gloo(cfg, launcher)
        notes.append(_cpu_distributed(cfg, flexible))
    if use_matplotlib_for_mmpose(cfg):
        notes.append('mmpose visualizer: matplotlib backend (its OpenCV '
                     'backend fails under numpy >= 2)')
    return [n for n in notes if n], created


def terminate_on_sigterm():
    """Turn SIGTERM into SystemExit so clean-up code runs (like Ctrl-C);
    a handler set by someone else is left alone."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError):  # not in the main thread
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, handler)


# --------------------------------------------------------------- runners


class _RunnerMixin:
    """What ``uniformer_mm.Runner`` and ``uniformer_mm.FlexibleRunner`` add
    to MMEngine's runners (see the module docstring)."""

    _flexible = False
    _owns_process_group = False
    _strict_checkpoint = False

    @classmethod
    def from_cfg(cls, cfg):
        cfg = copy.deepcopy(cfg)
        notes, created = prepare_run_config(cfg, cls._flexible)
        terminate_on_sigterm()
        runner = super().from_cfg(cfg)
        runner._owns_process_group = created
        for note in notes:
            runner.logger.info(f'uniformer_mm.{cls.__name__}: {note}')
        return runner

    def _checkpoint_to_load(self):
        """``(path, resuming)`` of what :meth:`load_or_resume` will read."""
        if isinstance(self._resume, str):  # FlexibleRunner
            return self._resume, True
        if self._resume:
            return (self._load_from
                    or find_latest_checkpoint(self.work_dir)), True
        return self._load_from, False

    def load_or_resume(self):
        if not self._has_loaded:
            path, resuming = self._checkpoint_to_load()
            if path and (resuming or self._strict_checkpoint):
                # the FlexibleRunner's model is wrapped by its strategy by
                # now: only the file is checked
                model = None if self._flexible else self.model
                check_checkpoint(model, path, '--resume checkpoint'
                                 if resuming else 'checkpoint')
        return super().load_or_resume()

    def _run(self, phases, run, strict_checkpoint):
        """Check the data of ``phases``, run; then wait for every rank: a
        rank that exits while another still tears down its gloo connections
        can be aborted (SIGABRT)."""
        import torch.distributed as dist
        check_data(self.cfg, phases)
        self._strict_checkpoint = strict_checkpoint
        result = run()
        if self._owns_process_group and dist.is_initialized():
            dist.barrier()
        return result

    def train(self):
        phases = ['train'] + (['val'] if self._val_loop is not None else [])
        return self._run(phases, super().train, False)

    def val(self):
        return self._run(['val'], super().val, True)

    def test(self):
        return self._run(['test'], super().test, True)


@RUNNERS.register_module()
class Runner(_RunnerMixin, MMEngineRunner):
    """MMEngine's ``Runner`` with the checks and CPU adaptations of
    :mod:`uniformer_mm.engine.runner`."""


@RUNNERS.register_module()
class FlexibleRunner(_RunnerMixin, MMEngineFlexibleRunner):
    """MMEngine's ``FlexibleRunner`` (FSDP, DeepSpeed) with the checks and
    CPU adaptations of :mod:`uniformer_mm.engine.runner`."""

    _flexible = True
