"""Convert an official UniFormer release checkpoint for an OpenMMLab 2.x model.

    python tools/model_converters/uniformer_to_mm.py SRC DST --task cls
    mim test mmpretrain configs/cls/uniformer_s_300e_in1k.py --checkpoint DST

Tasks: cls (image classification, token labeling, light; mmpretrain), video
(mmaction2), det (mmdet), seg (mmseg), pose (mmpose). Keys without a toolbox
equivalent are listed; running the tool on its own output changes nothing.
"""
import argparse
import os
import os.path as osp
import tempfile

import torch

from uniformer_mm.models.utils import (TASKS, convert_official_checkpoint,
                                       read_checkpoint)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='official checkpoint (local file)')
    parser.add_argument('dst', help='output checkpoint')
    parser.add_argument('--task', required=True, choices=TASKS)
    return parser.parse_args()


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


def main():
    args = parse_args()
    state_dict, unmapped = convert_official_checkpoint(
        read_checkpoint(args.src), args.task)
    save_atomically(
        dict(meta=dict(converted_from=osp.basename(args.src),
                       task=args.task),
             state_dict=state_dict), args.dst)
    print(f'wrote {len(state_dict)} tensors to {args.dst}')
    if unmapped:
        print(f'not mapped (no {args.task} toolbox equivalent): {unmapped}')


if __name__ == '__main__':
    main()
