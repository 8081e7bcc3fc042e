"""Reading official UniFormer checkpoints into the backbone.

The backbone's module names mirror the official release, so conversion is
about containers and prefixes, plus 2D -> 3D inflation for video:

* :func:`unwrap_state_dict` accepts every release container — ``{'model'}``
  (classification, light), a bare state dict (token labeling, video),
  ``{'model_state'}`` (SlowFast), ``{'state_dict'}`` (mmcv / MMEngine) — and
  strips ``module.`` prefixes. Pure and idempotent.
* :func:`backbone_state_dict` keeps the backbone part (``backbone.`` prefix
  of whole-model checkpoints, or an explicit prefix) and names the rest.
* :func:`inflate_state_dict` turns 2D weights into 3D ones (``average``, the
  official default, or ``center``, mmaction2's choice).
* :func:`fit_backbone_state` inflates for a model and refuses weights of
  another variant with an error that says what they look like; the
  backbone runs it in a load-state-dict pre-hook, so ``load_state_dict``,
  ``mmengine.runner.load_checkpoint``, ``load_from`` and ``resume`` all
  inflate and check, and :func:`log_load_report` logs every key it
  inflated or left at its initialisation.
* :func:`load_backbone_checkpoint` reads a file for ``init_cfg`` (any
  container, the backbone part) and also refuses missing or extra blocks.
"""
import os.path as osp
import re
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.logging import print_log

from uniformer_mm.weights import load_checkpoint_file
from .releases import missing_pretrained_message

StateDict = Dict[str, torch.Tensor]

#: Keys of official classification models that are not part of the
#: backbone: linear heads, token-labeling aux head, light models'
#: class-token classifier.
CLASSIFIER_PREFIXES = ('head.', 'head_cls.', 'norm_cls.', 'aux_head.')


def read_checkpoint(path: str) -> dict:
    """Read a local checkpoint without running code from it.

    Official releases and converted files load with torch's plain
    ``weights_only=True``; MMEngine Runner checkpoints through the
    stand-ins of :func:`uniformer_mm.weights.load_checkpoint_file`.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'checkpoint not found: {path!r}. Pretrained weights are read '
            'from local files only; download the official release first.')
    return load_checkpoint_file(path)


def unwrap_state_dict(checkpoint: dict) -> StateDict:
    """Return the flat state dict of any release container.

    Accepts ``{'state_dict': sd}`` (mmcv, MMEngine), ``{'model': sd}``,
    ``{'model_state': sd}`` or a bare ``sd``; drops ``module.`` prefixes.
    Already-unwrapped input comes back unchanged.
    """
    state_dict = checkpoint
    for container_key in ('state_dict', 'model', 'model_state'):
        inner = checkpoint.get(container_key)
        if isinstance(inner, dict):
            state_dict = inner
            break
    not_tensors = [k for k, v in state_dict.items()
                   if not isinstance(v, torch.Tensor)]
    if not_tensors:
        raise TypeError(
            'not a state dict: expected tensors, found other values under '
            f'{not_tensors[:5]}; known containers are state_dict, model, '
            'model_state or a bare state dict')
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
    raise ValueError(f"inflate mode must be 'average' or 'center', "
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


_BLOCK_KEY = re.compile(r'^blocks(\d)\.(\d+)\.')


def describe_state_dict(state_dict: StateDict) -> dict:
    """Structural facts of a UniFormer backbone state dict.

    Returns a dict with ``depths``, ``embed_dims``, ``conv_stem``,
    ``conv_downsample``, ``layer_scale_stages``, ``hourglass`` and
    ``video``; what cannot be read from weights (head_dim) is left out.
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
    return dict(
        depths=depths,
        embed_dims=embed_dims,
        conv_stem='patch_embed1.proj.0.weight' in state_dict,
        conv_downsample='patch_embed2.proj.0.weight' in state_dict,
        layer_scale_stages=sorted(scaled_stages),
        hourglass='cls_token' in state_dict,
        video=pos_embed is not None and pos_embed.dim() == 5)


def _is_output_norm(key: str) -> bool:
    """Output norms differ by design between cls (``norm``) and dense
    (``norm1..4``) checkpoints; their absence is reported, not fatal."""
    return re.match(r'^norm\d?\.', key) is not None


def pretrained_entry(init_cfg) -> Optional[dict]:
    """The ``Pretrained`` dict of an ``init_cfg`` (dict or list), or None."""
    entries = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
    return next((entry for entry in entries if isinstance(entry, dict)
                 and entry.get('type') == 'Pretrained'), None)


def resolve_checkpoint(init_cfg, pretrained: Optional[str]) -> Optional[str]:
    """Fill a checkpoint-less ``Pretrained`` entry from ``pretrained``.

    Returns the checkpoint path the backbone will load, or None when its
    ``init_cfg`` loads nothing. Modifies ``init_cfg`` in place.

    Raises:
        ValueError: ``Pretrained`` without checkpoint and no ``pretrained``.
    """
    entry = pretrained_entry(init_cfg)
    if entry is None:
        return None
    if not entry.get('checkpoint'):
        if not pretrained:
            raise ValueError(
                "UniFormer init_cfg=dict(type='Pretrained') has no "
                'checkpoint. In a training run the Runner fills it from the '
                "config's top-level `pretrained` (uniformer_mm.PretrainedHook"
                ' in default_hooks), and there is none here: set '
                "`pretrained = 'PATH'` or init_cfg.checkpoint=PATH, or "
                'init_cfg=None to train from scratch')
        entry['checkpoint'] = pretrained
    return entry['checkpoint']


def fit_backbone_state(own_shapes: Dict[str, torch.Size],
                       state_dict: StateDict,
                       inflate_mode: str = 'average',
                       describe_model=None,
                       source: str = 'the state dict',
                       check_structure: bool = True
                       ) -> Tuple[StateDict, dict]:
    """Inflate a backbone state dict for a model and check that it fits.

    Args:
        own_shapes: the model's ``{key: shape}`` (no prefix).
        state_dict: backbone weights, keys without prefix.
        inflate_mode: 2D -> 3D inflation for video models.
        describe_model: callable ``(facts) -> str`` naming the arch entries
            that match a :func:`describe_state_dict` result (for errors).
        source: what the weights are, for the error message.
        check_structure: also refuse blocks or embeddings that exist on one
            side only (output norms differ by design and are reported).

    Returns:
        ``(inflated state dict, report)``; the report has ``loaded``,
        ``inflated``, ``missing`` and ``unexpected`` key lists.

    Raises:
        ValueError: the weights are of another variant (shape mismatch, or
            with ``check_structure`` blocks/embeddings on one side only).
    """
    state_dict, inflated = inflate_state_dict(state_dict, own_shapes,
                                              inflate_mode)
    mismatched = [f'{k}: checkpoint {tuple(v.shape)} vs model '
                  f'{tuple(own_shapes[k])}' for k, v in state_dict.items()
                  if k in own_shapes and v.shape != own_shapes[k]]
    missing = [k for k in own_shapes if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own_shapes]
    structural = [k for k in missing + unexpected
                  if check_structure and not _is_output_norm(k)]
    if mismatched or structural:
        problems = (mismatched + [f'{k}: only in the model' for k in missing
                                  if k in structural] +
                    [f'{k}: only in the checkpoint' for k in unexpected
                     if k in structural])

        def describe(shapes):
            facts = describe_state_dict({
                k: torch.empty(shape, device='meta')
                for k, shape in shapes.items()
            })
            return describe_model(facts) if describe_model else facts

        checkpoint = describe({k: v.shape for k, v in state_dict.items()})
        raise ValueError(
            f'{source} does not fit this UniFormer: {len(problems)} '
            f'problems, e.g. {problems[:4]}. The checkpoint looks like '
            f'{checkpoint}; the model is {describe(own_shapes)}. Build the '
            'backbone with the arch (and video flag) of the checkpoint.')
    return state_dict, dict(
        loaded=[k for k in state_dict if k in own_shapes],
        inflated=inflated,
        missing=missing,
        unexpected=unexpected)


def log_load_report(report: dict, inflate_mode: str) -> None:
    """Log what a load inflated, left at its init or could not place."""
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


def load_backbone_checkpoint(model: nn.Module,
                             path: str,
                             prefix: Optional[str] = None,
                             inflate_mode: str = 'average',
                             describe_model=None) -> dict:
    """Load an official or OpenMMLab checkpoint into a UniFormer backbone.

    The backbone's load-state-dict pre-hook inflates 2D weights and reports
    the keys (as on every load path); this adds reading any release
    container, the backbone part of whole-model files, and the refusal of
    another variant's checkpoint.

    Args:
        model: the backbone.
        path: local checkpoint file.
        prefix: backbone key prefix (see :func:`backbone_state_dict`).
        inflate_mode: 2D -> 3D inflation for video models.
        describe_model: callable ``(facts) -> str`` naming the arch entries
            that match a :func:`describe_state_dict` result (for errors).

    Returns:
        dict with ``loaded``, ``inflated``, ``missing``, ``unexpected`` and
        ``ignored`` (non-backbone keys of the file) key lists.

    Raises:
        FileNotFoundError: ``path`` does not exist (the message says what
            the official file is and how to go on without it).
        ValueError: the checkpoint is another variant (shape mismatch, or
            blocks/embeddings missing on either side).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(
            missing_pretrained_message(path, "the backbone's init_cfg"))
    state_dict, ignored = backbone_state_dict(
        unwrap_state_dict(read_checkpoint(path)), prefix)
    own_shapes = {k: v.shape for k, v in model.state_dict().items()}
    _, report = fit_backbone_state(own_shapes, state_dict, inflate_mode,
                                   describe_model, f'checkpoint {path!r}')
    model.load_state_dict(state_dict, strict=False)  # the pre-hook inflates
    print_log(
        f'UniFormer: loaded {len(report["loaded"])} tensors from {path}',
        logger='current')
    if ignored:
        print_log(
            f'UniFormer: skipped {len(ignored)} keys outside the backbone '
            f'(heads, necks): {ignored}',
            logger='current')
    return dict(report, ignored=ignored)
