"""Attention maps of a UniFormer classifier or video recognizer as PNGs.

    python tools/visualization/vis_attention.py CONFIG CHECKPOINT INPUT \
        --out-dir DIR [--block -1] [--query Y X] [--cfg-options ...]

    # e.g. (the demo checkpoint of bash tools/demo.sh)
    python tools/visualization/vis_attention.py configs/demo/cls_demo.py \
        work_dirs/demo/cls/epoch_40.pth \
        data/demo/cls/val/circle/val_circle_0000.png --out-dir vis_attention

INPUT is an image (classification configs) or a video file (video configs),
prepared by the config's test pipeline. Writes ``<name>_attention.png`` (the
chosen global block: head-averaged, then each head; videos: one column per
frame), ``<name>_rollout.png`` (attention rollout through the global stages)
and, for the light (hourglass) models, ``<name>_scores.png`` (their running
token scores). Blocks without a class token show the attention each token
receives (averaged over all queries) or, with ``--query Y X`` (relative,
0..1), the attention of that token; hourglass blocks show the class token's.
Global, window / hybrid, split and hourglass blocks all work: the attention
is recomputed from each block's own layers on its input, without changing
the model (``uniformer_mm/visualization/attention.py``). CHECKPOINT
``random`` keeps the initialisation (to try a config).
"""
import argparse
import os
import os.path as osp

from uniformer_mm.utils.cli import run_tool
from uniformer_mm.utils.errors import FixableError
from uniformer_mm.visualization.inputs import (add_model_arguments,
                                               load_from_args)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Draw UniFormer attention maps and rollout')
    add_model_arguments(parser, 'checkpoint file, or "random" for none')
    parser.add_argument('--out-dir', required=True, help='where PNGs go')
    parser.add_argument(
        '--block',
        default='-1',
        help='global block: index in forward order (-1: last) or module '
        'name in the backbone, e.g. blocks4.0')
    parser.add_argument(
        '--query',
        type=float,
        nargs=2,
        metavar=('Y', 'X'),
        help='relative position (0..1) of the query token; default: the '
        'attention each token receives (class token for hourglass blocks)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from uniformer_mm.visualization.attention import write_attention_pngs
    loaded = load_from_args(args, random_ok=True)
    os.makedirs(args.out_dir, exist_ok=True)
    prefix = osp.join(args.out_dir, osp.splitext(osp.basename(args.input))[0])
    try:
        paths = write_attention_pngs(loaded.model, loaded.inputs,
                                     loaded.frames, prefix, args.block,
                                     args.query)
    except ValueError as error:
        raise FixableError(str(error)) from None
    for path in paths:
        print(path)


if __name__ == '__main__':
    run_tool(main)
