"""Checks of a run's inputs that fail early with a message naming the fix.

:class:`uniformer_mm.Runner` runs them (so ``tools/train.py``,
``tools/test.py`` and ``mim train`` / ``mim test`` alike): the data paths of
a config before its dataloaders are built, and a checkpoint before it is
resumed or tested (MMEngine loads non-strictly and only warns about weights
that do not fit, which would test or resume a half-random model).
"""
import glob
import os
import os.path as osp

import torch

from uniformer_mm.utils.errors import FixableError

__all__ = [
    'dataset_paths', 'evaluator_paths', 'check_data', 'check_checkpoint',
    'is_remote'
]

DATA_HINT = ('generate the demo data with `python tools/dataset_converters/'
             'make_demo_data.py`, or point the config at your data with '
             '--cfg-options')


def is_remote(path) -> bool:
    return '://' in str(path)


def dataset_paths(ds, where):
    """Yield ``(config key, path)`` of the local files a dataset reads."""
    if not isinstance(ds, dict):
        return
    if 'dataset' in ds:  # RepeatDataset, ClassBalancedDataset, ...
        yield from dataset_paths(ds['dataset'], f'{where}.dataset')
    for i, sub in enumerate(ds.get('datasets') or []):  # ConcatDataset
        yield from dataset_paths(sub, f'{where}.datasets[{i}]')
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


def evaluator_paths(evaluator, where):
    """Yield ``(config key, path)`` of the annotation files evaluators read."""
    evaluators = evaluator if isinstance(evaluator,
                                         (list, tuple)) else [evaluator]
    for i, ev in enumerate(evaluators):
        if isinstance(ev, dict) and isinstance(ev.get('ann_file'), str):
            suffix = f'[{i}]' if len(evaluators) > 1 else ''
            yield f'{where}{suffix}.ann_file', ev['ann_file']


def check_data(cfg, phases):
    """Fail, naming the config key, when a data path does not exist.

    Args:
        cfg (Config): the full config.
        phases (list[str]): any of ``'train'``, ``'val'``, ``'test'``.

    Raises:
        FixableError: a local data root, annotation file or folder is
            missing (a missing root is reported once, not every file in it).
    """
    problems = []
    for phase in phases:
        loader = cfg.get(f'{phase}_dataloader')
        if not loader or not isinstance(loader, dict):
            continue
        paths = list(
            dataset_paths(
                loader.get('dataset'), f'{phase}_dataloader.dataset'))
        paths += list(
            evaluator_paths(
                cfg.get(f'{phase}_evaluator'), f'{phase}_evaluator'))
        missing_roots = []
        for name, path in paths:
            if is_remote(path) or osp.exists(path):
                continue
            if any(
                    osp.abspath(path).startswith(osp.abspath(root) + os.sep)
                    for root in missing_roots):
                continue
            if name.endswith('.data_root'):
                missing_roots.append(path)
            line = f'  {name}: {path!r}'
            if line not in problems:
                problems.append(line)
    if problems:
        raise FixableError('data not found (does the data root exist?):\n' +
                           '\n'.join(problems) + f'\nFix: {DATA_HINT}.')


def _unwrap(model):
    """The model inside DDP-style wrappers and TTA models (``--tta``), as
    MMEngine's checkpoint loading unwraps them."""
    from mmengine.model import BaseTTAModel, is_model_wrapper
    while is_model_wrapper(model) or isinstance(model, BaseTTAModel):
        model = model.module
    return model


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
    return FixableError('\n'.join(lines))


def check_checkpoint(model, path, what='checkpoint'):
    """Fail clearly when ``path`` is missing, unreadable, or (for a
    ``model``) not a checkpoint of ``model``'s arch.

    Every weight of the model must be in the file with its shape; extra
    weights in the file are fine. With ``model=None`` (the FlexibleRunner
    builds its model in the strategy) only the file is checked; sharded
    checkpoint folders (FSDP local, DeepSpeed) are left to the strategy.

    Raises:
        FixableError: naming the file and what to do.
    """
    if is_remote(path):
        return
    if not osp.exists(path):
        raise FixableError(f'{what} {path!r} does not exist')
    if osp.isdir(path):
        return
    from uniformer_mm.weights import (UnsafeCheckpointError,
                                      load_checkpoint_file)
    try:
        ckpt = load_checkpoint_file(path)
    except UnsafeCheckpointError as e:
        raise FixableError(str(e)) from e
    except Exception as e:  # noqa: BLE001 - any unreadable file
        raise _unreadable_checkpoint(path, what, e) from e
    if not isinstance(model, torch.nn.Module):
        return
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not state:
        raise FixableError(f'{what} {path!r} holds no state dict')
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
    raise FixableError('\n'.join(lines))
