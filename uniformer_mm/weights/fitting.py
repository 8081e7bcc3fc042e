"""Does a state dict fit a UniFormer? Inflate it, check it, report it.

The backbone runs :func:`fit_backbone_state` in its load-state-dict
pre-hook, so every load path (``init_cfg``, ``load_state_dict``, MMEngine's
``load_checkpoint``, ``load_from``, ``resume``) inflates 2D weights for
video models, refuses the weights of another variant with an error that
says which variant they look like, and logs what it inflated or left at its
initialisation.
"""
import re
from typing import Dict, Mapping, Optional, Tuple

import torch
from mmengine.logging import print_log

from .containers import StateDict
from .inflation import inflate_state_dict

_BLOCK_KEY = re.compile(r'^blocks(\d)\.(\d+)\.')
#: What :func:`describe_state_dict` reads and an arch entry must match.
STRUCTURE_KEYS = ('depths', 'embed_dims', 'conv_stem', 'conv_downsample',
                  'layer_scale_stages')


def describe_state_dict(state_dict: Mapping[str, torch.Tensor]) -> dict:
    """Structural facts of a UniFormer backbone state dict.

    Returns a dict with ``depths``, ``embed_dims``, ``conv_stem``,
    ``conv_downsample``, ``layer_scale_stages``, ``hourglass``,
    ``merged_token_scale`` (light archs with layer scale in stage 3 or 4:
    ``'gamma_3'`` or ``'branch'``, else None) and ``video``; what cannot be
    read from weights (head_dim) is left out.
    """
    depths = [0] * 4
    scaled_stages = set()
    for key in state_dict:
        match = _BLOCK_KEY.match(key)
        if match:
            stage, index = int(match.group(1)) - 1, int(match.group(2))
            depths[stage] = max(depths[stage], index + 1)
            if '.gamma_' in key:
                scaled_stages.add(stage)
    embed_dims = [
        int(state_dict[f'blocks{i}.0.pos_embed.weight'].shape[0])
        if f'blocks{i}.0.pos_embed.weight' in state_dict else None
        for i in range(1, 5)
    ]
    pos_embed = state_dict.get('blocks1.0.pos_embed.weight')
    hourglass = 'cls_token' in state_dict
    merged_token_scale = None
    if hourglass and scaled_stages & {2, 3}:
        merged_token_scale = 'gamma_3' if any(
            '.gamma_3' in key for key in state_dict) else 'branch'
    return dict(
        depths=depths,
        embed_dims=embed_dims,
        conv_stem='patch_embed1.proj.0.weight' in state_dict,
        conv_downsample='patch_embed2.proj.0.weight' in state_dict,
        layer_scale_stages=sorted(scaled_stages),
        hourglass=hourglass,
        merged_token_scale=merged_token_scale,
        video=pos_embed is not None and pos_embed.dim() == 5)


def describe_arch(facts: dict, archs: Mapping[str, dict]) -> str:
    """Say which named archs have the structure ``facts`` describes.

    Args:
        facts: a :func:`describe_state_dict` result.
        archs: ``{name: complete arch dict}`` (aliases share one dict).
            head_dim cannot be read from weights, so siblings that differ
            only in it are all named.
    """
    groups: Dict[int, list] = {}
    for name, arch in archs.items():
        scale = facts['merged_token_scale']
        if all(arch[key] == facts[key] for key in STRUCTURE_KEYS) and \
                (arch['token_keep_ratio'] is not None) == facts['hourglass'] \
                and scale in (None, arch['merged_token_scale']):
            groups.setdefault(id(arch), []).append(name)
    names = ' or '.join(' / '.join(repr(n) for n in group)
                        for group in groups.values()) or 'custom'
    kind = 'a video' if facts['video'] else 'an image'
    return (f'{kind} UniFormer with depths {facts["depths"]}, '
            f'embed_dims {facts["embed_dims"]} (arch {names})')


def _is_output_norm(key: str) -> bool:
    """Output norms differ by design between cls (``norm``) and dense
    (``norm1..4``) checkpoints; their absence is reported, not fatal."""
    return re.match(r'^norm\d?\.', key) is not None


def fit_backbone_state(own_shapes: Dict[str, torch.Size],
                       state_dict: StateDict,
                       inflate_mode: str = 'average',
                       archs: Optional[Mapping[str, dict]] = None
                       ) -> Tuple[StateDict, dict]:
    """Inflate a backbone state dict for a model and check that it fits.

    Args:
        own_shapes: the model's ``{key: shape}`` (no prefix).
        state_dict: backbone weights, keys without prefix.
        inflate_mode: 2D -> 3D inflation for video models.
        archs: named archs, to say in an error what the weights look like
            (see :func:`describe_arch`).

    Returns:
        ``(inflated state dict, report)``; the report has ``loaded``,
        ``inflated``, ``missing`` and ``unexpected`` key lists.

    Raises:
        ValueError: the weights are of another variant: a shape mismatch,
            or blocks / embeddings on one side only (output norms differ by
            design between classification and dense models and are only
            reported).
    """
    state_dict, inflated = inflate_state_dict(state_dict, own_shapes,
                                              inflate_mode)
    mismatched = [f'{k}: checkpoint {tuple(v.shape)} vs model '
                  f'{tuple(own_shapes[k])}' for k, v in state_dict.items()
                  if k in own_shapes and v.shape != own_shapes[k]]
    missing = [k for k in own_shapes if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own_shapes]
    problems = mismatched + [
        f'{k}: only in the model' for k in missing if not _is_output_norm(k)
    ] + [
        f'{k}: only in the checkpoint' for k in unexpected
        if not _is_output_norm(k)
    ]
    if problems:

        def describe(shapes):
            facts = describe_state_dict({
                k: torch.empty(shape, device='meta')
                for k, shape in shapes.items()
            })
            return describe_arch(facts, archs) if archs else facts

        raise ValueError(
            f'the state dict does not fit this UniFormer: {len(problems)} '
            f'problems, e.g. {problems[:4]}. It looks like '
            f'{describe({k: v.shape for k, v in state_dict.items()})}; the '
            f'model is {describe(own_shapes)}. Build the backbone with the '
            'arch (and video flag) of the checkpoint.')
    return state_dict, dict(
        loaded=[k for k in state_dict if k in own_shapes],
        inflated=inflated,
        missing=missing,
        unexpected=unexpected)


def log_load_report(report: dict, inflate_mode: str) -> None:
    """Log what a load inflated, left at its init or could not place."""
    print_log(f'UniFormer: loading {len(report["loaded"])} tensors',
              logger='current')
    if report['inflated']:
        print_log(
            f'UniFormer: inflated 2D -> 3D ({inflate_mode}): '
            f'{report["inflated"]}',
            logger='current')
    if report['missing']:
        print_log(
            'UniFormer: not in the checkpoint, left at their '
            f'initialisation: {report["missing"]}',
            logger='current',
            level=30)
    if report['unexpected']:
        print_log(
            'UniFormer: backbone keys of the checkpoint that this model '
            f'does not have: {report["unexpected"]}',
            logger='current',
            level=30)
