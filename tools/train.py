"""Train a model of any OpenMMLab 2.x toolbox with MMEngine's Runner.

The config's ``default_scope`` picks the toolbox (mmpretrain, mmdet, mmseg,
mmpose, mmaction); configs that use UniFormer import ``uniformer_mm`` through
``custom_imports``.

Examples::

    python tools/train.py configs/demo/cls_demo.py
    python tools/train.py CONFIG --work-dir work_dirs/x --cfg-options \\
        train_dataloader.batch_size=8
    python tools/train.py CONFIG --resume              # latest in work dir
    python tools/train.py CONFIG --resume work_dirs/x/iter_100.pth
    bash tools/train.sh CONFIG 2                       # 2 GPUs or 2 CPU procs
"""
import argparse
import os
import os.path as osp
import sys

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from tool_utils import (  # noqa: E402 # isort: skip
    ToolError, guard_checkpoint_loading, check_checkpoint, check_data,
    check_pretrained, finish_distributed, load_config,
    run_cli, setup_launcher, terminate_on_sigterm)


def parse_args(argv=None):
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--work-dir',
        help='the dir to save logs and models '
        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint; without a value, from the '
        'latest checkpoint in the work dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed precision: AmpOptimWrapper (fp16) on GPU; on CPU, the '
        'backbone in bfloat16 autocast (uniformer_mm.BackboneAutocastHook)')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual total batch size '
        '(needs auto_scale_lr.base_batch_size in the config)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='skip validation during training')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value pairs, e.g. '
        'train_cfg.max_iters=100 "model.backbone.arch=s"')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank (older: --local_rank)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg, args):
    """Apply the command line to the config."""
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])

    wrapper_type = (cfg.get('optim_wrapper') or {}).get('type', 'OptimWrapper')
    if args.amp and torch.cuda.is_available():
        if wrapper_type not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ToolError(f'--amp: unsupported optim_wrapper type '
                            f'{wrapper_type!r}')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    elif wrapper_type == 'AmpOptimWrapper' and not torch.cuda.is_available():
        # AmpOptimWrapper asserts without a GPU: use the CPU path instead.
        cfg.optim_wrapper.type = 'OptimWrapper'
        for key in ('loss_scale', 'dtype', 'use_fsdp'):
            cfg.optim_wrapper.pop(key, None)
        args.amp = True
    if args.amp and not torch.cuda.is_available():
        if cfg.get('runner_type') == 'FlexibleRunner':
            raise ToolError('--amp without a GPU is not available with the '
                            'FlexibleRunner (FSDP / DeepSpeed): train in '
                            'float32, or with the default Runner')
        # AmpOptimWrapper needs a GPU: bfloat16 autocast of the backbone
        # (the hook a config can name itself, so mim train does the same).
        cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + [
            dict(type='uniformer_mm.BackboneAutocastHook')]

    if args.auto_scale_lr:
        scale = cfg.get('auto_scale_lr')
        if not scale or 'base_batch_size' not in scale:
            raise ToolError('--auto-scale-lr needs `auto_scale_lr = dict('
                            'base_batch_size=...)` in the config')
        cfg.auto_scale_lr.enable = True

    if args.no_validate:
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None

    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    return cfg


def main(argv=None):
    args = parse_args(argv)
    terminate_on_sigterm()
    guard_checkpoint_loading()
    cfg = load_config(args.config, args.cfg_options)
    cfg = merge_args(cfg, args)
    setup_launcher(cfg, args.launcher)
    check_data(cfg, ['train'] + (['val'] if cfg.get('val_cfg') else []))
    if args.resume not in (None, 'auto') and not osp.exists(args.resume):
        raise ToolError(f'--resume: checkpoint {args.resume!r} does not '
                        'exist')
    check_pretrained(cfg)

    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner, find_latest_checkpoint
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)

    # MMEngine resumes non-strictly; a checkpoint of another arch must fail.
    resume_from = args.resume
    if resume_from == 'auto':
        resume_from = find_latest_checkpoint(cfg.work_dir)
    if resume_from:
        check_checkpoint(runner.model, resume_from, '--resume checkpoint')

    runner.train()
    finish_distributed()


if __name__ == '__main__':
    run_cli(main)
