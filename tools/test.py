"""Test a checkpoint of any OpenMMLab 2.x toolbox model with MMEngine's Runner.

The config's ``default_scope`` picks the toolbox and its ``runner_type`` the
Runner (``uniformer_mm.Runner``, which checks that the checkpoint fits the
model, as under ``mim test``); the metric is the test evaluator of the
config (top-1, COCO bbox/segm mAP, mIoU, keypoint AP, ...).

Examples::

    python tools/test.py configs/demo/det_demo.py \\
        work_dirs/det_demo/epoch_8.pth
    python tools/test.py CONFIG CKPT --show-dir vis --out results.pkl
    python tools/test.py configs/demo/cls_demo.py CKPT --tta   # flip TTA
    bash tools/test.sh CONFIG CKPT 2                   # 2 GPUs or 2 CPU procs

``--out`` writes the raw predictions with the toolbox's dump metric (a
``.pkl`` file); for mmseg it is a folder of predicted label maps, as in
mmseg's own test script. ``--show-dir`` saves drawn predictions there.
``--tta`` tests with the config's ``tta_pipeline`` and ``tta_model``, as
the toolboxes' own test scripts
(:func:`uniformer_mm.utils.cli.apply_tta`).
"""
import argparse
import os
import os.path as osp


from uniformer_mm.utils.cli import (add_cfg_options, apply_tta, build_runner,
                                    default_work_dir, load_config, run_tool)
from uniformer_mm.utils.errors import FixableError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='the dir to save the logs and metrics '
        '(default: work_dirs/<config name>)')
    parser.add_argument(
        '--out',
        help='dump predictions to this pickle file (mmseg: a folder of '
        'label maps)')
    parser.add_argument(
        '--show-dir', help='save images with drawn predictions here')
    parser.add_argument(
        '--interval',
        type=int,
        default=1,
        help='with --show-dir: draw every n-th sample (default: 1)')
    add_cfg_options(parser, 'test_dataloader.batch_size=4')
    parser.add_argument(
        '--tta',
        action='store_true',
        help='test-time augmentation: the config\'s tta_pipeline and '
        'tta_model')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def _scope(cfg):
    return (cfg.get('default_scope') or 'mmengine').split('.')[0]


def enable_visualization(cfg, show_dir, interval):
    """Turn on the toolbox's visualization hook, saving into ``show_dir``."""
    # Absolute: mmdet/mmpose join the folder with work_dir/timestamp (and
    # mmdet 3.3 re-joins on every iteration, nesting relative paths).
    show_dir = osp.abspath(show_dir)
    scope = _scope(cfg)
    hooks = cfg.get('default_hooks') or {}
    hook = hooks.get('visualization')
    if not hook:
        raise FixableError('--show-dir: the config has no '
                           'default_hooks.visualization hook')
    if scope == 'mmdet':
        hook.update(draw=True, test_out_dir=show_dir, interval=interval)
    elif scope == 'mmseg':
        hook.update(draw=True, interval=interval)
        cfg.visualizer.save_dir = show_dir
    else:  # mmpretrain, mmpose, mmaction: (enable, out_dir, interval)
        hook.update(enable=True, out_dir=show_dir, interval=interval)


def add_dump(cfg, out):
    """Write predictions with the toolbox's dump metric (or mmseg's PNGs)."""
    scope = _scope(cfg)
    if scope == 'mmseg':
        evaluator = cfg.test_evaluator
        if isinstance(evaluator, (list, tuple)):
            raise FixableError('--out with several mmseg test evaluators')
        evaluator['output_dir'] = out
        evaluator['keep_results'] = True
        return
    if not out.endswith(('.pkl', '.pickle')):
        raise FixableError(
            f'--out must be a .pkl or .pickle file, got {out!r}')
    dump = dict(
        type='DumpDetResults' if scope == 'mmdet' else 'DumpResults',
        out_file_path=out)
    evaluator = cfg.test_evaluator
    if isinstance(evaluator, dict) and 'metrics' in evaluator:
        evaluator.metrics = list(evaluator.metrics) + [dump]
    elif isinstance(evaluator, (list, tuple)):
        cfg.test_evaluator = list(evaluator) + [dump]
    else:
        cfg.test_evaluator = [evaluator, dump]


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    cfg.launcher = args.launcher
    default_work_dir(cfg, args.config, args.work_dir)
    cfg.load_from = args.checkpoint
    cfg.resume = False
    if args.show_dir:
        enable_visualization(cfg, args.show_dir, args.interval)
    if args.out:
        add_dump(cfg, args.out)
    if args.tta:
        apply_tta(cfg)
    build_runner(cfg).test()


if __name__ == '__main__':
    run_tool(main)
