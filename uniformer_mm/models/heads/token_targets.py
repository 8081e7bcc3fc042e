"""Targets of the token-labeling loss (the official LV-ViT / UniFormer TL).

``token_label_targets`` turns the dense top-k label maps that travel with
the images (``uniformer_mm.LoadTokenLabel`` and the TokenLabel* transforms)
into a soft target per image and per output token; ``image_label_targets``
is the official fallback without label maps (every token gets the image
label). MixToken helpers follow the official ``rand_bbox`` and mixing.
"""
from typing import Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.ops import roi_align

Box = Tuple[int, int, int, int]


def smooth_token_label(target: torch.Tensor,
                       smoothing: float) -> torch.Tensor:
    """The official smoothing of label-map targets, ``target * (1 - s +
    s / K) + s / K`` (``get_labelmaps_with_coords``: on/off values applied
    to a distribution, so the sum is ``1 + s / K``)."""
    off = smoothing / target.shape[-1]
    return target * (1. - smoothing + off) + off


def token_label_targets(label_maps: torch.Tensor, boxes: torch.Tensor,
                        num_classes: int, grid: Sequence[int],
                        smoothing: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """Soft targets from top-k label maps, as ``get_labelmaps_with_coords``.

    Args:
        label_maps: ``(B, 2, k, h, w)`` top-k scores and class indices.
        boxes: ``(B, 4)`` crops as fractions of the image, ``(x1, y1, x2,
            y2)``.
        num_classes: K.
        grid: ``(H_t, W_t)``, the token grid of the last stage.
        smoothing: label smoothing.

    Returns:
        ``(B, K)`` image targets (the label map pooled over the crop) and
        ``(B, H_t * W_t, K)`` token targets (RoI-aligned to the grid), each a
        softmax over the classes, smoothed.
    """
    batch, _, _, height, width = label_maps.shape
    dense = label_maps.new_zeros(batch, num_classes, height, width)
    dense.scatter_(1, label_maps[:, 1].long(), label_maps[:, 0])
    # Fractions to map cells, minus half a cell (roi_align samples cell
    # centres), as the official get_label. The official code scales both
    # axes by the map width and passes (top, left, bottom, right) where
    # roi_align takes (x1, y1, x2, y2), which transposes the crop on the
    # label map; the crop is taken where the image was cropped here.
    scale = boxes.new_tensor([width, height, width, height]).to(dense)
    rois = torch.cat([
        torch.arange(batch, dtype=dense.dtype,
                     device=dense.device).unsqueeze(1),
        boxes.to(dense) * scale - 0.5
    ], 1)
    image = roi_align(dense, rois, output_size=(1, 1)).flatten(1)
    tokens = roi_align(dense, rois, output_size=tuple(grid)).flatten(2)
    image = smooth_token_label(F.softmax(image, dim=1), smoothing)
    tokens = smooth_token_label(
        F.softmax(tokens, dim=1).transpose(1, 2), smoothing)
    return image, tokens


def image_label_targets(target: torch.Tensor, num_tokens: int,
                        smoothing: float,
                        num_classes: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """Targets without label maps, as the official 2-D target path.

    ``target`` is ``(B,)`` class indices or ``(B, K)`` scores (e.g. mixed by
    batch augments); returns the smoothed ``(B, K)`` image target and the
    same for every one of ``num_tokens`` tokens, ``(B, num_tokens, K)``.
    """
    if target.dim() == 1:
        target = F.one_hot(target, num_classes)
    # the official one_hot(on=1 - s + s / K, off=s / K), mixed linearly
    target = target.float() * (1. - smoothing) + smoothing / num_classes
    return target, target.unsqueeze(1).expand(-1, num_tokens, -1)


def random_token_box(height: int, width: int, alpha: float = 1.) -> Box:
    """MixToken box ``(x1, y1, x2, y2)`` on an ``height x width`` token
    grid (x along the height, as the official ``rand_bbox``), area ratio
    ``1 - lam`` with ``lam ~ Beta(alpha, alpha)``."""
    lam = np.random.beta(alpha, alpha)
    cut = np.sqrt(1. - lam)
    cut_h, cut_w = int(height * cut), int(width * cut)
    cx, cy = np.random.randint(height), np.random.randint(width)
    return (int(np.clip(cx - cut_h // 2, 0, height)),
            int(np.clip(cy - cut_w // 2, 0, width)),
            int(np.clip(cx + cut_h // 2, 0, height)),
            int(np.clip(cy + cut_w // 2, 0, width)))


def swap_box(x: torch.Tensor, box: Box) -> torch.Tensor:
    """``x`` ``(B, C, H, W)`` with the box region taken from the reversed
    batch (sample ``i`` gets sample ``B - 1 - i`` there); a new tensor."""
    x1, y1, x2, y2 = box
    mixed = x.clone()
    mixed[:, :, x1:x2, y1:y2] = x.flip(0)[:, :, x1:x2, y1:y2]
    return mixed
