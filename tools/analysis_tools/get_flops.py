"""Parameters and FLOPs of a config under configs/ (MMEngine's counter).

    python tools/analysis_tools/get_flops.py CONFIG [--shape ...] [--mode full]

    # e.g. (from the repository root)
    python tools/analysis_tools/get_flops.py \
        configs/cls/uniformer_s_300e_in1k.py
    python tools/analysis_tools/get_flops.py \
        configs/det/mask_rcnn_uniformer_b_3x.py --shape 800 1280
    python tools/analysis_tools/get_flops.py \
        configs/action/uniformer_s_8x8_k400.py --shape 8 224 224

Like mmpretrain's ``tools/analysis_tools/get_flops.py``, the model is built
from the config (in its toolbox's default scope) and ``forward`` is replaced by
the feature path, ``extract_feat``: backbone plus neck (FPN for detection and
Semantic FPN, global pooling for classification, nothing for pose and video).
Heads are not counted. ``Params`` is the parameter count of the whole model
(heads included) unless ``--params-of feat`` is given.

``--mode full`` also counts the head through the toolbox's ``tensor`` mode
(segmentation: decode head; pose: keypoint head; classification: linear
head), which the papers' segmentation and pose FLOPs include; detectors and
recognizers only support the feature path.

``--shape`` is ``H W`` (or one size for a square input) for images and
``T H W`` for videos; defaults: 224x224, 8x224x224 for videos. One sample is
counted (FLOPs = multiply-adds, the convention of the UniFormer paper).

The counting is :func:`uniformer_mm.analysis.get_flops` (MMEngine's
``FlopAnalyzer`` with a handle for ``scaled_dot_product_attention``).
"""
import argparse


from uniformer_mm.analysis import get_flops
from uniformer_mm.utils.cli import add_cfg_options, load_config, run_tool


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Get the params and FLOPs of a model (feature path)')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--shape',
        type=int,
        nargs='+',
        default=None,
        help='input size: H W (or one size) for images, T H W for videos')
    parser.add_argument(
        '--mode',
        choices=['feat', 'full'],
        default='feat',
        help='feat: extract_feat (backbone + neck), like mmpretrain\'s tool; '
        'full: also the head in the toolbox\'s tensor mode (segmentation, '
        'pose and classification models only)')
    parser.add_argument(
        '--params-of',
        choices=['model', 'feat'],
        default='model',
        help='count the parameters of the whole model (default) or only of '
        'the counted feature path')
    add_cfg_options(parser)
    parser.add_argument(
        '--show-table', action='store_true', help='print the per-module table')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    results = get_flops(cfg, args.shape, args.params_of, args.show_table,
                        args.mode)
    if args.show_table:
        print(results['table'])
    split_line = '=' * 40
    what = 'whole model' if args.params_of == 'model' else 'feature path'
    path = ('full: backbone + neck + head'
            if args.mode == 'full' else 'feature path: backbone + neck')
    print(f'{split_line}\n'
          f'Config: {args.config}\n'
          f'Input shape: {results["input_shape"]}\n'
          f'FLOPs ({path}): '
          f'{results["flops"] / 1e9:.2f} G\n'
          f'Params ({what}): {results["params"] / 1e6:.2f} M\n'
          f'{split_line}')
    if args.mode == 'feat':
        print('Heads are not counted (see --mode full). ', end='')
    print('Check that every op of your model is supported before quoting '
          'the figures.')


if __name__ == '__main__':
    run_tool(main)
