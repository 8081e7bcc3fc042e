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

The counter is MMEngine's ``FlopAnalyzer`` (what ``get_model_complexity_info``
runs) with one extra handle: ``aten::scaled_dot_product_attention``, which the
backbone's attention uses and MMEngine does not count, is counted as its two
matrix products (``Q K^T`` and ``A V``), as fvcore counts the explicit
``matmul`` of the official code.
"""
import argparse
import importlib
from math import prod

import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer
from mmengine.analysis.jit_handles import get_shape
from mmengine.analysis.print_helper import complexity_stats_table
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

FULL_MODE_SCOPES = ('mmseg', 'mmpose', 'mmpretrain')
REGISTRIES = {
    'mmpretrain': 'mmpretrain.registry',
    'mmdet': 'mmdet.registry',
    'mmseg': 'mmseg.registry',
    'mmpose': 'mmpose.registry',
    'mmaction': 'mmaction.registry',
}


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
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, key=value')
    parser.add_argument(
        '--show-table', action='store_true', help='print the per-module table')
    return parser.parse_args(argv)


class FeaturePath(nn.Module):
    """``extract_feat`` of a toolbox model as a module (what gets counted);
    with ``full=True`` the toolbox's tensor mode (backbone, neck and decode
    or keypoint or classification head) where it needs no data samples."""

    def __init__(self, model: nn.Module, scope: str, full: bool = False):
        super().__init__()
        self.model = model
        self.scope = scope
        self.full = full
        if full and scope not in FULL_MODE_SCOPES:
            raise SystemExit(
                f'error: --mode full is not supported for {scope} models '
                '(detectors need data samples, recognizers have no tensor '
                'mode past the backbone); use --mode feat')

    def forward(self, inputs: torch.Tensor):
        if self.full:
            # mmseg: decode head logits (the auxiliary head is training
            # only); mmpose: heatmaps; mmpretrain: class scores.
            return self.model(inputs, None, mode='tensor')
        if self.scope == 'mmaction':
            # Recognizers take (N, num_views, C, T, H, W) and return
            # (features, kwargs for the head).
            feats, _ = self.model.extract_feat(inputs[:, None])
            return feats
        if self.scope == 'mmpretrain':
            return self.model.extract_feat(inputs, stage='neck')
        return self.model.extract_feat(inputs)


def sdpa_flop_jit(inputs, outputs) -> int:
    """FLOPs of ``scaled_dot_product_attention``: ``Q K^T`` plus ``A V``."""
    q, k, v = (get_shape(x) for x in inputs[:3])
    batch = prod(q[:-2])
    return batch * q[-2] * k[-2] * (q[-1] + v[-1])


def count_flops(module: nn.Module, inputs: tuple) -> FlopAnalyzer:
    analyzer = FlopAnalyzer(module, inputs)
    analyzer.set_op_handle('aten::scaled_dot_product_attention', sdpa_flop_jit)
    return analyzer


def input_shape(cfg: Config, shape) -> tuple:
    video = cfg.default_scope == 'mmaction'
    if shape is None:
        shape = [8, 224, 224] if video else [224, 224]
    if video:
        if len(shape) != 3:
            raise SystemExit('error: video models take --shape T H W')
        return (3, ) + tuple(shape)
    if len(shape) == 1:
        shape = shape * 2
    if len(shape) != 2:
        raise SystemExit('error: image models take --shape H W (or one size)')
    return (3, ) + tuple(shape)


def build_model(cfg: Config) -> nn.Module:
    """Build ``cfg.model`` the way the toolbox's runner does."""
    scope = cfg.get('default_scope')
    if scope not in REGISTRIES:
        raise SystemExit(f'error: unsupported default_scope {scope!r}; '
                         f'expected one of {sorted(REGISTRIES)}')
    init_default_scope(scope)
    models = importlib.import_module(REGISTRIES[scope]).MODELS
    model_cfg = cfg.model.copy()
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    return models.build(model_cfg)


def get_flops(cfg: Config,
              shape=None,
              params_of: str = 'model',
              with_table: bool = False,
              mode: str = 'feat') -> dict:
    """Count one sample: ``dict(flops, params, input_shape, table)``."""
    model = build_model(cfg)
    model.eval()
    feature_path = FeaturePath(model, cfg.default_scope, mode == 'full')
    in_shape = input_shape(cfg, shape)
    with torch.no_grad():
        analyzer = count_flops(feature_path, (torch.rand(1, *in_shape), ))
        analyzer.unsupported_ops_warnings(False)
        analyzer.uncalled_modules_warnings(False)
        flops = analyzer.total()
        table = complexity_stats_table(
            analyzer, max_depth=3,
            show_param_shapes=False) if with_table else None
    if params_of == 'model':
        counted = [model]
    else:
        counted = [model.backbone, getattr(model, 'neck', None)]
    params = sum(p.numel() for m in counted if m is not None
                 for p in m.parameters())
    return dict(flops=flops, params=params, input_shape=in_shape, table=table)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
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
    main()
