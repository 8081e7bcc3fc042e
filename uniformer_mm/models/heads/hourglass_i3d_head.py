"""mmaction2 head of the light (hourglass) UniFormer (see
:mod:`hourglass_cls_head`: same outputs, prediction and loss)."""
from typing import Sequence, Tuple

import torch
from mmaction.models.heads import I3DHead
from mmengine.model.weight_init import normal_init

from uniformer_mm.registry import MODELS
from .class_token import (ClassTokenClassifier, check_loss_weights,
                          split_features, weighted_losses)


@MODELS.register_module()
class HourglassI3DHead(I3DHead):
    """mmaction2 head of the light video models: :class:`I3DHead` (average
    pooling, dropout, ``fc_cls``) plus the class-token classifier.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the last stage.
        loss_weights (Sequence[float]): Weights of the pooled and the
            class-token classifier losses. Defaults to (0.5, 0.5).
        **kwargs: :class:`mmaction.models.heads.I3DHead` arguments.

    Shapes: map ``(B, C, T, H, W)``, class token ``(B, C)`` -> scores
    ``(B, num_classes)``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 loss_weights: Sequence[float] = (0.5, 0.5),
                 **kwargs):
        super().__init__(num_classes, in_channels, **kwargs)
        self.loss_weights = check_loss_weights(loss_weights)
        self.cls_token_head = ClassTokenClassifier(in_channels, num_classes)

    def init_weights(self) -> None:
        super().init_weights()
        normal_init(self.cls_token_head.fc, std=self.init_std)

    def forward(self, feats: Tuple[torch.Tensor], **kwargs) -> torch.Tensor:
        stage_map, _ = split_features(feats, type(self).__name__)
        return super().forward(stage_map)

    def loss(self, feats: Tuple[torch.Tensor], data_samples, **kwargs):
        _, cls_token = split_features(feats, type(self).__name__)
        return weighted_losses(
            self.loss_by_feat(self(feats), data_samples),
            self.loss_by_feat(self.cls_token_head(cls_token), data_samples),
            self.loss_weights)
