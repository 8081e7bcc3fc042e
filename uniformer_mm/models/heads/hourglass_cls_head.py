"""mmpretrain head of the light (hourglass) UniFormer.

It takes the backbone outputs of ``UniFormer(out_cls_token=True)`` (no neck):
``(..., last-stage map, class token (B, C))``. Prediction uses the pooled
classifier only (the official evaluation logits); training adds the
class-token classifier, ``0.5 * pooled loss + 0.5 * class-token loss`` as in
the official ``engine_light.py`` / ``train_net_cls.py``.
"""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.heads import ClsHead

from uniformer_mm.registry import MODELS
from .class_token import (ClassTokenClassifier, check_loss_weights,
                          split_features, weighted_losses)


@MODELS.register_module()
class HourglassClsHead(ClsHead):
    """mmpretrain head of the light image models.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the last stage.
        loss_weights (Sequence[float]): Weights of the pooled and the
            class-token classifier losses. Defaults to (0.5, 0.5).
        init_cfg (dict): Defaults to truncated normal (std 0.02) on Linear.
        **kwargs: :class:`mmpretrain.models.heads.ClsHead` arguments (loss,
            topk, cal_acc).

    Shapes: map ``(B, C, H, W)``, class token ``(B, C)`` -> logits
    ``(B, num_classes)``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 loss_weights: Sequence[float] = (0.5, 0.5),
                 init_cfg=dict(type='TruncNormal', layer='Linear', std=.02),
                 **kwargs):
        super().__init__(init_cfg=init_cfg, **kwargs)
        self.loss_weights = check_loss_weights(loss_weights)
        self.fc = nn.Linear(in_channels, num_classes)
        self.cls_token_head = ClassTokenClassifier(in_channels, num_classes)

    def pre_logits(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """The average-pooled last stage, ``(B, C)``."""
        stage_map, _ = split_features(feats, type(self).__name__)
        return stage_map.flatten(2).mean(-1)

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        return self.fc(self.pre_logits(feats))

    def loss(self, feats: Tuple[torch.Tensor], data_samples, **kwargs):
        _, cls_token = split_features(feats, type(self).__name__)
        return weighted_losses(
            self._get_loss(self(feats), data_samples, **kwargs),
            self._get_loss(
                self.cls_token_head(cls_token), data_samples, **kwargs),
            self.loss_weights)
