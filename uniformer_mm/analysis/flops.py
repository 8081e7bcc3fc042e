"""Parameters and FLOPs of a config's model (MMEngine's counter).

Like mmpretrain's ``tools/analysis_tools/get_flops.py``, the model is built
from the config (in its toolbox's default scope) and what is counted is the
feature path, ``extract_feat``: backbone plus neck. ``mode='full'`` also
counts the head through the toolbox's ``tensor`` mode (segmentation, pose,
classification). One sample is counted (FLOPs = multiply-adds, the
convention of the UniFormer paper).

The counter is MMEngine's ``FlopAnalyzer`` with one extra handle:
``aten::scaled_dot_product_attention``, which the backbone's attention uses
and MMEngine does not count, is counted as its two matrix products
(``Q K^T`` and ``A V``), as fvcore counts the explicit ``matmul`` of the
official code.
"""
from math import prod

import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer
from mmengine.analysis.jit_handles import get_shape
from mmengine.analysis.print_helper import complexity_stats_table
from mmengine.config import Config

from uniformer_mm.utils.errors import FixableError
from .model import build_model, input_shape

__all__ = ['FeaturePath', 'sdpa_flop_jit', 'count_flops', 'get_flops']

FULL_MODE_SCOPES = ('mmseg', 'mmpose', 'mmpretrain')


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
            raise FixableError(
                f'--mode full is not supported for {scope} models '
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
