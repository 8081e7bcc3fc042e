"""The class-token classifier shared by the light (hourglass) heads.

The official light models train two classifiers on the same features: the
usual one on the average-pooled last stage (``head``) and one on the final
class token (``norm_cls`` + ``head_cls``), with the loss
``0.5 * loss(head) + 0.5 * loss(head_cls)``; evaluation uses ``head`` only.
"""
from typing import Dict, Tuple

import torch
import torch.nn as nn


class ClassTokenClassifier(nn.Module):
    """LayerNorm + Linear on the class token: ``(B, C)`` -> ``(B, K)``.

    Official checkpoints name the two layers ``norm_cls`` and ``head_cls``.
    """

    def __init__(self, in_channels: int, num_classes: int):
        super().__init__()
        self.norm = nn.LayerNorm(in_channels)
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, cls_token: torch.Tensor) -> torch.Tensor:
        return self.fc(self.norm(cls_token))


def weighted_losses(pooled: Dict[str, torch.Tensor],
                    cls_token: Dict[str, torch.Tensor],
                    weights: Tuple[float, float]) -> Dict[str, torch.Tensor]:
    """Merge the loss dicts of the pooled and the class-token classifier.

    Every ``loss*`` entry is scaled by its classifier's weight (MMEngine sums
    all of them); the class-token entries get the suffix ``_token``
    (mmaction2: ``loss_cls`` + ``loss_cls_token``; mmpretrain: ``loss`` +
    ``loss_token``).
    """
    merged = {}
    for suffix, losses, weight in (('', pooled, weights[0]),
                                   ('_token', cls_token, weights[1])):
        for key, value in losses.items():
            merged[key + suffix] = weight * value \
                if key.startswith('loss') else value
    return merged


def check_loss_weights(loss_weights) -> Tuple[float, float]:
    """``(pooled, class token)`` weights, both >= 0."""
    loss_weights = tuple(loss_weights)
    if len(loss_weights) != 2 or min(loss_weights) < 0:
        raise ValueError('loss_weights takes two non-negative weights '
                         '(pooled classifier, class-token classifier), got '
                         f'{loss_weights!r}')
    return loss_weights


def split_features(feats: Tuple[torch.Tensor], head: str):
    """``(..., last-stage map, class token)`` -> ``(map, class token)``."""
    is_sequence = isinstance(feats, (tuple, list))
    if is_sequence and len(feats) >= 2 and feats[-1].dim() == 2:
        return feats[-2], feats[-1]
    shapes = [tuple(f.shape) for f in feats] if is_sequence else tuple(
        feats.shape)
    raise ValueError(
        f'{head} takes (..., last-stage map, class token (B, C)) from '
        f'UniFormer(out_cls_token=True) without a neck, got {shapes}')
