"""Write the tiny, deterministic, real-format demo datasets of the five
tasks (:mod:`uniformer_mm.utils.demo_data` says what each holds).

Usage::

    python tools/dataset_converters/make_demo_data.py          # data/demo
    python tools/dataset_converters/make_demo_data.py --out /tmp/d --tasks det
    python tools/dataset_converters/make_demo_data.py --force  # rewrite
"""
import argparse
import os.path as osp
import time

from uniformer_mm.utils.cli import run_tool
from uniformer_mm.utils.demo_data import TASKS, make_task


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Write the tiny demo datasets (see '
        'uniformer_mm.utils.demo_data).')
    parser.add_argument(
        '--out',
        default='data/demo',
        help='output folder (default: data/demo)')
    parser.add_argument(
        '--tasks',
        nargs='+',
        choices=TASKS,
        default=TASKS,
        help='which sets to write (default: all)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--force', action='store_true', help='rewrite sets that already exist')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    for task in args.tasks:
        t0 = time.time()
        if make_task(args.out, task, seed=args.seed, force=args.force):
            print(f'[demo data] {task:6s} written to '
                  f'{osp.join(args.out, task)} ({time.time() - t0:.1f}s)')
        else:
            print(f'[demo data] {task:6s} already in '
                  f'{osp.join(args.out, task)} (use --force to rewrite)')
    return 0


if __name__ == '__main__':
    run_tool(main)
