"""The state dict inside any UniFormer release container.

Official classification / light files are ``{'model': sd}``, token-labeling
and video files a bare ``sd`` (or ``{'model_state': sd}``, SlowFast),
mmcv / MMEngine files ``{'state_dict': sd}``; DataParallel saves add
``module.`` prefixes. Whole toolbox models keep the backbone under
``backbone.``; official classifiers have their heads beside the backbone
keys.
"""
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch

StateDict = Dict[str, torch.Tensor]

#: Keys of official classification models that are not part of the
#: backbone: linear heads, token-labeling aux head, light models'
#: class-token classifier.
CLASSIFIER_PREFIXES = ('head.', 'head_cls.', 'norm_cls.', 'aux_head.')
CONTAINER_KEYS = ('state_dict', 'model', 'model_state')


def unwrap_state_dict(checkpoint: dict) -> StateDict:
    """Return the flat state dict of any release container.

    Accepts ``{'state_dict': sd}`` (mmcv, MMEngine), ``{'model': sd}``,
    ``{'model_state': sd}`` or a bare ``sd``; drops ``module.`` prefixes.
    Pure and idempotent: an unwrapped state dict comes back unchanged.
    """
    state_dict = checkpoint
    for container_key in CONTAINER_KEYS:
        inner = checkpoint.get(container_key)
        if isinstance(inner, dict):
            state_dict = inner
            break
    not_tensors = [k for k, v in state_dict.items()
                   if not isinstance(v, torch.Tensor)]
    if not_tensors:
        raise TypeError(
            'not a state dict: expected tensors, found other values under '
            f'{not_tensors[:5]}; known containers are '
            f'{", ".join(CONTAINER_KEYS)} or a bare state dict')
    return OrderedDict((k[len('module.'):] if k.startswith('module.') else k,
                        v) for k, v in state_dict.items())


def backbone_state_dict(state_dict: StateDict,
                        prefix: Optional[str] = None
                        ) -> Tuple[StateDict, List[str]]:
    """Split a model state dict into the backbone part and the other keys.

    Args:
        prefix: prefix of the backbone keys; by default ``'backbone.'`` when
            any key has it (whole toolbox models), else ``''`` (official
            classification/video files whose heads sit beside the backbone
            keys and are returned as other keys).

    Returns:
        ``(backbone keys without the prefix, names of the other keys)``.
    """
    if prefix is None:
        prefix = 'backbone.' if any(
            k.startswith('backbone.') for k in state_dict) else ''
    backbone, others = OrderedDict(), []
    for key, value in state_dict.items():
        if key.startswith(prefix) and not (
                prefix == '' and key.startswith(CLASSIFIER_PREFIXES)):
            backbone[key[len(prefix):]] = value
        else:
            others.append(key)
    if not backbone:
        raise ValueError(f'no backbone weights found under prefix {prefix!r}')
    return backbone, others
