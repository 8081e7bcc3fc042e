"""Grad-CAM of a UniFormer classifier or video recognizer as a PNG.

    python tools/visualization/vis_cam.py CONFIG CHECKPOINT INPUT \
        --out FILE.png [--target-layers NAME ...] [--target-category N]

A thin wrapper over the toolboxes' own Grad-CAM with UniFormer's target
layer as default (``backbone.norm``, the map after the last block; dense
models: the last block): images through ``pytorch_grad_cam`` as mmpretrain's
``vis_cam`` (``mim run mmpretrain vis_cam INPUT CONFIG CHECKPOINT`` works
too), videos through mmaction2's ``mmaction.utils.GradCAM`` (its ``vis_cam``
defaults to a ResNet layer and writes GIF/MP4 through moviepy; this tool
writes one PNG, the frames side by side). Logic:
``uniformer_mm/visualization/cam.py``.
"""
import argparse
import os
import os.path as osp

import numpy as np
from uniformer_mm.utils.cli import run_tool
from uniformer_mm.utils.errors import FixableError
from uniformer_mm.visualization.inputs import (add_model_arguments,
                                               load_from_args)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Grad-CAM of a UniFormer')
    add_model_arguments(parser)
    parser.add_argument('--out', required=True, help='PNG to write')
    parser.add_argument(
        '--target-layers',
        nargs='+',
        default=[],
        help='layer names (default: backbone.norm, or the last block of '
        'dense models); videos take one')
    parser.add_argument(
        '--target-category',
        type=int,
        help='class whose CAM is drawn (default: the predicted one)')
    parser.add_argument(
        '--method',
        default='GradCAM',
        help='images: a pytorch_grad_cam class (GradCAM, GradCAMPlusPlus, '
        'XGradCAM, ...)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import cv2

    from uniformer_mm.visualization.attention import overlay
    from uniformer_mm.visualization.cam import image_cam, video_cam
    loaded = load_from_args(args)
    try:
        if loaded.task == 'cls':
            cam = image_cam(loaded.model, loaded.inputs, args.target_layers,
                            args.target_category, args.method)
            frame = loaded.frames[0]
            picture = np.concatenate(
                [frame, overlay(frame, cam[0], normalize=False)], axis=1)
        else:
            if args.target_category is not None:
                loaded.data['data_samples'][0].set_gt_label(
                    args.target_category)
            if len(args.target_layers) > 1:
                raise FixableError('videos take one --target-layers name')
            _, blended = video_cam(
                loaded.model, loaded.data,
                args.target_layers[0] if args.target_layers else None,
                use_labels=args.target_category is not None)
            frames = np.uint8(255 * blended[0][..., ::-1])  # RGB -> BGR
            picture = np.concatenate(list(frames), axis=1)
    except ValueError as error:
        raise FixableError(str(error)) from None
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    if not cv2.imwrite(args.out, picture):
        raise FixableError(f'could not write {args.out!r}')
    print(args.out)


if __name__ == '__main__':
    run_tool(main)
