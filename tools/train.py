"""Train a model of any OpenMMLab 2.x toolbox with MMEngine's Runner.

The config's ``default_scope`` picks the toolbox (mmpretrain, mmdet, mmseg,
mmpose, mmaction) and its ``runner_type`` the Runner
(``uniformer_mm.Runner``: checks and CPU adaptations, see
``uniformer_mm/engine/runner.py``), as under ``mim train``.

Examples::

    python tools/train.py configs/demo/cls_demo.py
    python tools/train.py CONFIG --work-dir work_dirs/x --cfg-options \\
        train_dataloader.batch_size=8
    python tools/train.py CONFIG --resume              # latest in work dir
    python tools/train.py CONFIG --resume work_dirs/x/iter_100.pth
    python tools/train.py CONFIG --amp --cfg-options cpu_amp=bf16  # no GPU
    bash tools/train.sh CONFIG 2                       # 2 GPUs or 2 CPU procs
"""
import argparse
import os


from uniformer_mm.utils.cli import (add_cfg_options, build_runner,
                                    default_work_dir, load_config, run_tool)
from uniformer_mm.utils.errors import FixableError


def parse_args(argv=None):
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
        help='mixed precision (AmpOptimWrapper, as the toolboxes\' --amp); '
        'it needs a GPU: without one, the config key cpu_amp (bf16 or fp32) '
        'says what to run instead')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual total batch size '
        '(needs auto_scale_lr.base_batch_size in the config)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='skip validation during training')
    add_cfg_options(parser, 'train_cfg.max_iters=100 "model.backbone.arch=s"')
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
    cfg.launcher = args.launcher
    default_work_dir(cfg, args.config, args.work_dir)
    if args.amp:
        wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
        if wrapper_type not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise FixableError(
                f'--amp works with OptimWrapper; this config\'s optim_wrapper '
                f'is {wrapper_type!r}: drop --amp')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.auto_scale_lr:
        scale = cfg.get('auto_scale_lr')
        if not scale or 'base_batch_size' not in scale:
            raise FixableError('--auto-scale-lr needs `auto_scale_lr = '
                               'dict(base_batch_size=...)` in the config')
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
    cfg = merge_args(load_config(args.config, args.cfg_options), args)
    build_runner(cfg).train()


if __name__ == '__main__':
    run_tool(main)
