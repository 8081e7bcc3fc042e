"""Which pretrained weights a UniFormer backbone loads, decided once.

The paper configs write the checkpoint in one place, a top-level
``pretrained = 'checkpoints/<official file>'``, and give the backbone
``init_cfg=dict(type='Pretrained')`` without a checkpoint. MMEngine resolves
base-config variables when the base is parsed, so a child config's
``pretrained = ...`` could not reach ``init_cfg`` by itself: this hook (in
``default_hooks.pretrained`` of every paper config, so ``tools/train.py``
and ``mim train`` behave the same) fills it in before the Runner
initialises the weights. A child can therefore

* set ``pretrained = 'my.pth'`` (or ``--cfg-options pretrained=...``),
* or set ``model.backbone.init_cfg.checkpoint`` (an explicit checkpoint
  wins over ``pretrained``),
* or train from scratch with ``model.backbone.init_cfg=None``.

A missing file stops the run before any training with a message naming the
file, where it is published and how to go on; when the run resumes (or
starts from ``load_from``) the backbone weights are overwritten anyway, so
a missing pretrained file is only logged.
"""
import copy
import os.path as osp
from typing import Iterator, Tuple

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import find_latest_checkpoint

from uniformer_mm.models.utils.checkpoint import (pretrained_entry,
                                                  resolve_checkpoint)
from uniformer_mm.models.utils.releases import (missing_load_from_message,
                                                missing_pretrained_message)
from uniformer_mm.registry import HOOKS

BACKBONE_TYPES = ('uniformer_mm.UniFormer', )


def drop_pretrained(init_cfg, default_init_cfg):
    """``init_cfg`` without its ``Pretrained`` entry (the default init if
    nothing is left)."""
    entries = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
    rest = [e for e in entries if e is not pretrained_entry(init_cfg)]
    return rest or copy.deepcopy(default_init_cfg)


def _is_local(path: str) -> bool:
    return '://' not in str(path)


def _backbone_configs(node, where='model') -> Iterator[Tuple[str, dict]]:
    """Yield ``(config key, dict)`` of every UniFormer in a model config."""
    if isinstance(node, dict):
        if node.get('type') in BACKBONE_TYPES:
            yield where, node
        for key, value in node.items():
            yield from _backbone_configs(value, f'{where}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _backbone_configs(value, f'{where}[{i}]')


def will_resume(cfg) -> bool:
    """Whether the Runner will restore every weight from a checkpoint."""
    if cfg.get('load_from'):
        return True
    work_dir = cfg.get('work_dir')
    return bool(cfg.get('resume') and work_dir and osp.isdir(work_dir)
                and find_latest_checkpoint(work_dir))


def check_config_pretrained(cfg) -> None:
    """Fail fast, before anything is built, on a missing weight file.

    Applies the hook's rules to a config (without changing it), so
    ``tools/train.py`` stops in seconds where the hook would stop only
    after the datasets are loaded.

    Raises:
        FileNotFoundError: a pretrained or ``load_from`` file is missing.
        ValueError: ``Pretrained`` without any checkpoint.
    """
    load_from = cfg.get('load_from')
    if load_from and _is_local(load_from) and not osp.isfile(load_from):
        raise FileNotFoundError(missing_load_from_message(load_from))
    if will_resume(cfg):
        return
    for where, backbone in _backbone_configs(cfg.get('model')):
        init_cfg = copy.deepcopy(backbone.get('init_cfg'))
        source = _source(init_cfg, where)
        path = resolve_checkpoint(init_cfg, cfg.get('pretrained'))
        if path and _is_local(path) and not osp.isfile(path):
            raise FileNotFoundError(missing_pretrained_message(path, source))


def _source(init_cfg, where: str) -> str:
    """The config key that names the checkpoint of ``init_cfg``."""
    entry = pretrained_entry(init_cfg)
    if entry is not None and entry.get('checkpoint'):
        return f'{where}.init_cfg.checkpoint'
    return 'the top-level `pretrained`'


@HOOKS.register_module()
class PretrainedHook(Hook):
    """Give every UniFormer backbone its pretrained checkpoint, or stop.

    Runs ``before_run``, i.e. after the Runner has built the model, data and
    optimizer and before it calls ``init_weights``. See the module
    docstring for the rules. Listed by every paper config as
    ``default_hooks.pretrained`` (a dict entry, so child configs that
    change other default hooks keep it).
    """
    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        from uniformer_mm.models.backbones import UniFormer
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        cfg = runner.cfg
        pretrained = cfg.get('pretrained')
        load_from = cfg.get('load_from')
        if load_from and _is_local(load_from) and not osp.isfile(load_from):
            raise FileNotFoundError(missing_load_from_message(load_from))
        resumes = will_resume(cfg)
        for name, module in model.named_modules():
            if not isinstance(module, UniFormer):
                continue
            where = f'model.{name}' if name else 'model'
            source = _source(module.init_cfg, where)
            path = resolve_checkpoint(module.init_cfg, pretrained)
            if path is None:
                if pretrained:
                    print_log(
                        f'top-level pretrained={pretrained!r} is not used: '
                        f'{where}.init_cfg loads no checkpoint (training '
                        'from scratch). To load it, set '
                        f"{where}.init_cfg=dict(type='Pretrained').",
                        logger='current',
                        level=30)
                continue
            if not _is_local(path) or osp.isfile(path):
                print_log(f'{where}: pretrained weights from {path}',
                          logger='current')
            elif resumes:
                print_log(
                    f'{where}: pretrained file {path!r} not found; not '
                    'needed, every weight comes from the checkpoint this '
                    'run resumes from / load_from', logger='current')
                module.init_cfg = drop_pretrained(module.init_cfg,
                                                  module.default_init_cfg)
            else:
                raise FileNotFoundError(
                    missing_pretrained_message(path, source))
