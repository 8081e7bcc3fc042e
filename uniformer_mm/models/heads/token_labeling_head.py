"""The token-labeling classifier of the UniFormer L release (mmpretrain)."""
from typing import Tuple

import torch
import torch.nn as nn
from mmpretrain.models.heads import ClsHead

from uniformer_mm.registry import MODELS


@MODELS.register_module()
class TokenLabelingClsHead(ClsHead):
    """Class head plus per-token auxiliary head (token labeling).

    Takes the un-pooled, normalised last-stage map ``(B, C, H, W)`` (use no
    neck) and returns ``fc(mean over tokens) + aux_weight * max over tokens
    of aux_fc(token)``, ``(B, num_classes)``: the official evaluation logits
    of the token-labeling models. Training applies the head's loss to the
    same logits; the per-token dense labels of the official recipe need the
    token-labeling data, which mmpretrain does not provide.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the input map.
        aux_weight (float): Weight of the auxiliary max. Defaults to 0.5.
        init_cfg (dict): Defaults to truncated normal (std 0.02) on Linear.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 aux_weight: float = 0.5,
                 init_cfg=dict(type='TruncNormal', layer='Linear', std=.02),
                 **kwargs):
        super().__init__(init_cfg=init_cfg, **kwargs)
        self.aux_weight = aux_weight
        self.fc = nn.Linear(in_channels, num_classes)
        self.aux_fc = nn.Linear(in_channels, num_classes)

    def pre_logits(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """The last stage's tokens, ``(B, H*W, C)``."""
        return feats[-1].flatten(2).transpose(1, 2)

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        tokens = self.pre_logits(feats)
        return self.fc(tokens.mean(dim=1)) + self.aux_weight * self.aux_fc(
            tokens).max(dim=1).values
