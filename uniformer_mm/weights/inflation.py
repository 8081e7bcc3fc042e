"""2D -> 3D inflation of ImageNet weights for the video UniFormer."""
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch

from .containers import StateDict

INFLATE_MODES = ('average', 'center')


def inflate_weight(weight: torch.Tensor, time_dim: int,
                   mode: str = 'average') -> torch.Tensor:
    """Inflate a 2D kernel ``(O, I, h, w)`` to 3D ``(O, I, T, h, w)``.

    ``average`` repeats it over time divided by ``T`` (official video code),
    so a static clip gives the 2D response; ``center`` puts it in the middle
    frame and zeros elsewhere (mmaction2's UniFormer port).
    """
    if mode == 'average':
        return weight.unsqueeze(2).repeat_interleave(time_dim, 2) / time_dim
    if mode == 'center':
        inflated = weight.new_zeros(weight.shape[:2] + (time_dim, ) +
                                    weight.shape[2:])
        inflated[:, :, time_dim // 2] = weight
        return inflated
    raise ValueError(f'inflate mode must be one of {INFLATE_MODES}, '
                     f'got {mode!r}')


def inflate_state_dict(state_dict: StateDict,
                       target_shapes: Dict[str, torch.Size],
                       mode: str = 'average') -> Tuple[StateDict, List[str]]:
    """Inflate every 2D tensor whose 3D target has one more (time) dim.

    Returns the new state dict and the inflated key names; other tensors are
    passed through unchanged (3D checkpoints are returned as they are).
    """
    inflated_keys, result = [], OrderedDict()
    for key, value in state_dict.items():
        target = target_shapes.get(key)
        if (target is not None and value.dim() >= 4
                and len(target) == value.dim() + 1
                and target[:2] + target[3:] == value.shape):
            value = inflate_weight(value, target[2], mode)
            inflated_keys.append(key)
        result[key] = value
    return result, inflated_keys
