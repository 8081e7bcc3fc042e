"""Give every UniFormer backbone of a training run its pretrained weights.

Listed by every paper config as ``default_hooks.pretrained``, so
``tools/train.py`` and ``mim train`` (the toolboxes' own script) behave the
same. The rules are :mod:`uniformer_mm.weights.pretrained`'s.
"""
import os.path as osp

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from uniformer_mm.registry import HOOKS
from uniformer_mm.weights.pretrained import (choose_checkpoint,
                                             pretrained_entry,
                                             require_local_file,
                                             will_resume, without_pretrained)
from uniformer_mm.weights.releases import missing_load_from_message


@HOOKS.register_module()
class PretrainedHook(Hook):
    """Settle each UniFormer's pretrained checkpoint before weights init.

    Runs ``before_run``, after the Runner has built the model, data and
    optimizer and before it calls ``init_weights``:

    * a top-level ``pretrained`` (a child config's one-line switch, or
      ``--cfg-options pretrained=...``) replaces the checkpoint of every
      UniFormer ``Pretrained`` entry;
    * a run that resumes or starts from ``load_from`` drops the entry (the
      checkpoint overwrites every weight): nothing is downloaded or needed;
    * otherwise a local file must exist, or the run stops here with a
      message naming the file, where it is published and how to go on.
    """
    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        from uniformer_mm.models.backbones import UniFormer
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        cfg = runner.cfg
        pretrained = cfg.get('pretrained')
        load_from = cfg.get('load_from')
        if load_from and '://' not in load_from and \
                not osp.isfile(load_from):
            raise FileNotFoundError(missing_load_from_message(load_from))
        resumes = will_resume(cfg)
        used = False
        for name, module in model.named_modules():
            if not isinstance(module, UniFormer):
                continue
            where = f'model.{name}' if name else 'model'
            path, source = choose_checkpoint(module.init_cfg, pretrained,
                                             where)
            if path is None:
                continue
            used = True
            if resumes:
                print_log(f'{where}: not loading {path}: every weight comes '
                          'from the checkpoint this run resumes from / '
                          'load_from', logger='current')
                module.init_cfg = without_pretrained(module.init_cfg,
                                                     module.default_init_cfg)
                continue
            require_local_file(path, source)
            pretrained_entry(module.init_cfg)['checkpoint'] = path
            print_log(f'{where}: pretrained weights from {path} (set by '
                      f'{source})', logger='current')
        if pretrained and not used:
            print_log(
                f'top-level pretrained={pretrained!r} is not used: no '
                "UniFormer has init_cfg=dict(type='Pretrained') (training "
                'from scratch)', logger='current', level=30)
