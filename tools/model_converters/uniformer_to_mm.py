"""Convert an official UniFormer release checkpoint for an OpenMMLab 2.x model.

    python tools/model_converters/uniformer_to_mm.py SRC DST --task cls
    mim test mmpretrain configs/cls/uniformer_s_300e_in1k.py --checkpoint DST

SRC is a local file or a URL (downloaded into the cache, hash-checked).
Tasks: cls (image classification, token labeling, light; mmpretrain), action
(mmaction2), det (mmdet), seg (mmseg), pose (mmpose). Keys without a toolbox
equivalent are listed; running the tool on its own output changes nothing.
The tool says what it was given: an official release, its own output, or a
model mmaction2 / mmpose host (already in the toolbox layout and label
order: it loads as is; converting only adds ``meta['dataset_meta']``).

Video classifiers are reordered from the official class order to mmaction2's
label maps (Kinetics-400/600: alphabetical; Something-Something V1: the
labels csv; V2 needs no change), so the converted model scores as in the
paper on mmaction2 annotation files; ``--keep-official-order`` skips that.
The output's ``meta['dataset_meta']`` names the classes (and palette or
keypoints) of the release's dataset for the toolboxes' inferencers.
"""
import argparse
import os
import os.path as osp
import tempfile

import torch

from uniformer_mm.utils.cli import run_tool
from uniformer_mm.utils.errors import FixableError
from uniformer_mm.weights import (KINDS, TASKS, convert_release,
                                  read_checkpoint)
from uniformer_mm.weights.dataset_meta import TASK_DATASETS

DATASETS = sorted({d for names in TASK_DATASETS.values() for d in names})


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='official checkpoint (file or URL)')
    parser.add_argument('dst', help='output checkpoint')
    parser.add_argument('--task', required=True, choices=TASKS)
    parser.add_argument(
        '--dataset',
        default='auto',
        choices=['auto', 'none', *DATASETS],
        help='dataset the release was trained on (default: the task\'s, '
        'action: Kinetics-400/600 by head size; Something-Something V1/V2 '
        'must be named: sthv1 or sthv2); none: write no class names')
    parser.add_argument(
        '--keep-official-order',
        action='store_true',
        help='action: keep the official class order of the classifier rows '
        '(for annotation files that use it) instead of mmaction2\'s')
    return parser.parse_args(argv)


def save_atomically(obj: dict, path: str) -> None:
    """Write next to ``path`` then rename: no half-written file on error."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, tmp_path = tempfile.mkstemp(dir=folder, suffix='.tmp')
    os.close(handle)
    try:
        torch.save(obj, tmp_path)
        os.replace(tmp_path, path)
    finally:
        if osp.exists(tmp_path):
            os.remove(tmp_path)


def main(argv=None):
    args = parse_args(argv)
    try:
        result = convert_release(
            read_checkpoint(args.src), args.task, args.dataset,
            args.keep_official_order, args.src)
    except (FileNotFoundError, ValueError) as error:
        raise FixableError(str(error)) from error
    save_atomically(dict(meta=result['meta'],
                         state_dict=result['state_dict']), args.dst)
    print(f'{args.src}: {KINDS[result["kind"]]}')
    meta = result['meta']
    order = f', class order: {meta["class_order"]}' \
        if args.task == 'action' else ''
    print(f'wrote {len(result["state_dict"])} tensors to {args.dst} '
          f'(dataset: {meta["dataset"]}{order})')
    if 'dataset_meta' not in meta:
        print('no dataset_meta written: inferencers will show class '
              'indices (or another dataset\'s names)')
    if result['unmapped']:
        print(f'not mapped (no {args.task} toolbox equivalent): '
              f'{result["unmapped"]}')


if __name__ == '__main__':
    run_tool(main)
