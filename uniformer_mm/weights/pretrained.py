"""Which pretrained weights a UniFormer backbone starts from.

A paper config names them in the backbone itself,
``init_cfg=dict(type='Pretrained', checkpoint=<URL or checkpoints/file>)``
(:mod:`uniformer_mm.weights.releases`), so a model built from the config
loads them with or without a Runner. A child config changes them in one
line:

* ``pretrained = 'my.pth'`` (or ``--cfg-options pretrained=...``): a
  top-level key, applied to every UniFormer's ``Pretrained`` entry by
  :func:`apply_pretrained` (``uniformer_mm.PretrainedHook`` does it in a
  training run, for ``tools/train.py`` and ``mim train`` alike);
* ``model = dict(backbone=dict(init_cfg=dict(checkpoint='my.pth')))``;
* ``model = dict(backbone=dict(init_cfg=None))`` trains from scratch.

A run that resumes, or starts from ``load_from``, gets every weight from
that checkpoint: its backbones skip the pretrained file (no download, no
missing-file error). :func:`check_pretrained_files` is the one check that a
local pretrained file exists, with the one message of
:func:`~uniformer_mm.weights.releases.missing_pretrained_message`.
"""
import copy
import os.path as osp
from typing import Iterator, List, Optional, Tuple

from mmengine.runner import find_latest_checkpoint

from .download import is_url
from .releases import missing_load_from_message, missing_pretrained_message

#: The config ``type`` of the backbone whose weights this module resolves.
BACKBONE_TYPES = ('uniformer_mm.UniFormer', )


def pretrained_entry(init_cfg) -> Optional[dict]:
    """The ``Pretrained`` dict of an ``init_cfg`` (dict or list), or None."""
    entries = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
    return next((entry for entry in entries if isinstance(entry, dict)
                 and entry.get('type') == 'Pretrained'), None)


def without_pretrained(init_cfg, default_init_cfg):
    """``init_cfg`` without its ``Pretrained`` entry (the default init if
    nothing is left)."""
    entries = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
    pretrained = pretrained_entry(init_cfg)
    rest = [e for e in entries if e is not pretrained]
    return rest or copy.deepcopy(default_init_cfg)


def backbone_configs(node, where: str = 'model'
                     ) -> Iterator[Tuple[str, dict]]:
    """``(config key, dict)`` of every UniFormer in a model config."""
    if isinstance(node, dict):
        if node.get('type') in BACKBONE_TYPES:
            yield where, node
        for key, value in node.items():
            yield from backbone_configs(value, f'{where}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from backbone_configs(value, f'{where}[{i}]')


def will_resume(cfg) -> bool:
    """Whether the Runner will restore every weight from a checkpoint."""
    if cfg.get('load_from'):
        return True
    work_dir = cfg.get('work_dir')
    return bool(cfg.get('resume') and work_dir and osp.isdir(work_dir)
                and find_latest_checkpoint(work_dir))


def choose_checkpoint(init_cfg, pretrained: Optional[str], where: str
                      ) -> Tuple[Optional[str], str]:
    """The checkpoint a backbone's ``init_cfg`` loads, after a top-level
    ``pretrained``; and the config key that names it.

    Returns:
        ``(checkpoint or None, config key)``; None when ``init_cfg`` loads
        nothing.

    Raises:
        ValueError: a ``Pretrained`` entry without a checkpoint, and no
            ``pretrained`` to fill it.
    """
    entry = pretrained_entry(init_cfg)
    if entry is None:
        return None, f'{where}.init_cfg'
    if pretrained:
        return pretrained, 'the top-level `pretrained`'
    if not entry.get('checkpoint'):
        raise ValueError(
            f"{where}.init_cfg=dict(type='Pretrained') names no checkpoint: "
            "set its checkpoint, or `pretrained = 'PATH or URL'`, or "
            'init_cfg=None to train from scratch')
    return entry['checkpoint'], f'{where}.init_cfg.checkpoint'


def apply_pretrained(cfg) -> List[str]:
    """Write a top-level ``pretrained`` into every UniFormer ``Pretrained``
    entry of ``cfg.model`` (for models built outside a Runner).

    Returns:
        The config keys whose checkpoint it set.
    """
    pretrained = cfg.get('pretrained')
    changed = []
    for where, backbone in backbone_configs(cfg.get('model')):
        entry = pretrained_entry(backbone.get('init_cfg'))
        if pretrained and entry is not None:
            entry['checkpoint'] = pretrained
            changed.append(f'{where}.init_cfg.checkpoint')
    return changed


def require_local_file(path: str, where: str) -> None:
    """The existence check of a pretrained file (URLs are downloaded)."""
    if not is_url(path) and not osp.isfile(path):
        raise FileNotFoundError(missing_pretrained_message(path, where))


def check_pretrained_files(cfg) -> None:
    """Fail fast, before anything is built, on a missing weight file.

    The rules of ``uniformer_mm.PretrainedHook`` applied to a config:
    ``load_from`` must exist; unless the run resumes or starts from
    ``load_from``, every local pretrained file must exist.

    Raises:
        FileNotFoundError: a pretrained or ``load_from`` file is missing.
        ValueError: a ``Pretrained`` entry without any checkpoint.
    """
    load_from = cfg.get('load_from')
    if load_from and not is_url(load_from) and not osp.isfile(load_from):
        raise FileNotFoundError(missing_load_from_message(load_from))
    if will_resume(cfg):
        return
    for where, backbone in backbone_configs(cfg.get('model')):
        path, source = choose_checkpoint(backbone.get('init_cfg'),
                                         cfg.get('pretrained'), where)
        if path:
            require_local_file(path, source)
