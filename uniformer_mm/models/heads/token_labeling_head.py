"""The token-labeling classifier of the UniFormer TL releases (mmpretrain)."""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.heads import ClsHead

from uniformer_mm.registry import MODELS
from .token_targets import (Box, image_label_targets, swap_box,
                            token_label_targets)


@MODELS.register_module()
class TokenLabelingClsHead(ClsHead):
    """Class head plus per-token auxiliary head (token labeling).

    Takes the un-pooled, normalised last-stage map ``(B, C, H, W)`` (use no
    neck).

    Prediction: ``fc(mean over tokens) + aux_weight * max over tokens of
    aux_fc(token)``, ``(B, num_classes)``, the official evaluation logits.

    Training: the official ``TokenLabelCrossEntropy``,
    ``cls_weight * loss(fc(mean), image target) + dense_weight *
    loss(aux_fc(tokens), token targets)`` with soft targets (``loss`` must
    take them: ``CrossEntropyLoss(use_soft=True)``). With the samples'
    ``token_label`` / ``token_label_box`` (``uniformer_mm.LoadTokenLabel``
    and the ``TokenLabel*`` transforms) the targets come from the dense
    label maps (see :func:`token_label_targets`); without them every token
    gets the image label (``gt_score`` if batch augments made one). Under
    MixToken (``TokenLabelingClassifier`` passes ``mix_box`` on this
    head's token grid) the token outputs are un-mixed and the image target
    is mixed by the kept area.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the input map.
        aux_weight (float): Weight of the auxiliary max in the prediction.
            Defaults to 0.5.
        cls_weight (float): Weight of the image loss. Defaults to 1.0.
        dense_weight (float): Weight of the token loss. Defaults to 1.0
            (the official ``--dense-weight``).
        label_smooth (float): Label smoothing of the targets. Defaults to
            0.1 (the official ``--smoothing``).
        loss (dict): A soft-target loss. Defaults to
            ``dict(type='CrossEntropyLoss', use_soft=True)``.
        init_cfg (dict): Defaults to truncated normal (std 0.02) on Linear.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 aux_weight: float = 0.5,
                 cls_weight: float = 1.,
                 dense_weight: float = 1.,
                 label_smooth: float = 0.1,
                 loss=dict(type='CrossEntropyLoss', use_soft=True),
                 init_cfg=dict(type='TruncNormal', layer='Linear', std=.02),
                 **kwargs):
        super().__init__(loss=loss, init_cfg=init_cfg, **kwargs)
        self.num_classes = num_classes
        self.aux_weight = aux_weight
        self.cls_weight = cls_weight
        self.dense_weight = dense_weight
        self.label_smooth = label_smooth
        self.fc = nn.Linear(in_channels, num_classes)
        self.aux_fc = nn.Linear(in_channels, num_classes)

    def pre_logits(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """The last stage's tokens, ``(B, H*W, C)``."""
        return feats[-1].flatten(2).transpose(1, 2)

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        tokens = self.pre_logits(feats)
        aux_max = self.aux_fc(tokens).max(dim=1).values
        return self.fc(tokens.mean(dim=1)) + self.aux_weight * aux_max

    def loss(self,
             feats: Tuple[torch.Tensor],
             data_samples: List,
             mix_box: Optional[Box] = None) -> dict:
        tokens = self.pre_logits(feats)
        grid = tuple(feats[-1].shape[-2:])
        cls_score = self.fc(tokens.mean(dim=1))
        aux_score = self.aux_fc(tokens)  # (B, N, K)
        image_target, token_target = self._targets(
            data_samples, grid, tokens.device)
        if mix_box is not None:
            # Each token learns its own image's label: undo the mixing.
            aux_score = swap_box(
                aux_score.transpose(1, 2).unflatten(2, grid),
                mix_box).flatten(2).transpose(1, 2)
            x1, y1, x2, y2 = mix_box
            lam = 1. - (x2 - x1) * (y2 - y1) / tokens.shape[1]
            image_target = lam * image_target + (
                1. - lam) * image_target.flip(0)
        batch, num_tokens = aux_score.shape[:2]
        loss_cls = self.loss_module(
            cls_score, image_target, avg_factor=batch)
        loss_token = self.loss_module(
            aux_score.reshape(batch * num_tokens, -1),
            token_target.reshape(batch * num_tokens, -1),
            avg_factor=batch * num_tokens)
        return dict(
            loss_cls=self.cls_weight * loss_cls,
            loss_token=self.dense_weight * loss_token)

    def _targets(self, data_samples: List, grid: Tuple[int, int],
                 device) -> Tuple[torch.Tensor, torch.Tensor]:
        """``(B, K)`` image and ``(B, N, K)`` token targets."""
        with_maps = ['token_label' in sample for sample in data_samples]
        if any(with_maps):
            if not all(with_maps) or not all('token_label_box' in sample
                                             for sample in data_samples):
                raise ValueError(
                    'token labeling needs token_label and token_label_box '
                    'in every sample: use uniformer_mm.LoadTokenLabel and '
                    'TokenLabelRandomResizedCrop, and PackInputs('
                    "algorithm_keys=['token_label', 'token_label_box'])")
            if 'gt_score' in data_samples[0]:
                raise ValueError(
                    'batch augments (Mixup/CutMix, train_cfg.augments) mix '
                    'the images but not the label maps; the token-labeling '
                    'recipe uses MixToken (TokenLabelingClassifier) instead: '
                    'set train_cfg=None')
            maps = torch.stack([
                torch.as_tensor(s.token_label) for s in data_samples
            ]).to(device)
            boxes = torch.stack([
                torch.as_tensor(s.token_label_box) for s in data_samples
            ]).to(device)
            return token_label_targets(maps, boxes, self.num_classes, grid,
                                       self.label_smooth)
        if 'gt_score' in data_samples[0]:
            target = torch.stack([s.gt_score for s in data_samples])
        else:
            target = torch.cat([s.gt_label for s in data_samples])
        return image_label_targets(target.to(device), grid[0] * grid[1],
                                   self.label_smooth, self.num_classes)
