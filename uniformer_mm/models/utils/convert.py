"""Official UniFormer release checkpoints -> OpenMMLab 2.x model checkpoints.

The backbone keys need no renaming (the module names mirror the release);
what changes is where they sit in the toolbox model and the heads:

=========  ===============================  ==================================
task       official file                    mapping
=========  ===============================  ==================================
cls        image classification / token     ``k`` -> ``backbone.k``;
           labeling / light (mmpretrain)    ``head.*`` -> ``head.fc.*``;
                                            ``aux_head.*`` -> ``head.aux_fc.*``
                                            ``head_cls.*`` ->
                                            ``head.cls_token_head.fc.*``;
                                            ``norm_cls.*`` ->
                                            ``head.cls_token_head.norm.*``
video      SlowFast-style video (mmaction2) ``k`` -> ``backbone.k``;
                                            ``head.*`` -> ``cls_head.fc_cls.*``
                                            (light: ``head_cls``/``norm_cls``
                                            as cls, under ``cls_head.``)
det, seg   mmcv 1.x det / seg models        unchanged (same key layout in
                                            mmdet 3.x / mmseg 1.x)
pose       mmpose 0.x top-down              ``keypoint_head.*`` -> ``head.*``
=========  ===============================  ==================================

The light models' class-token classifier (``head_cls``, ``norm_cls``) maps
onto :class:`HourglassClsHead` / :class:`HourglassI3DHead`; keys with no
equivalent in the task's model (e.g. that classifier in a det/seg/pose
file) are reported as unmapped, never dropped silently. Converting an
already converted checkpoint is a no-op.
"""
from collections import OrderedDict
from typing import List, Tuple

from .checkpoint import StateDict, unwrap_state_dict

TASKS = ('cls', 'video', 'det', 'seg', 'pose')

_HEAD_RENAMES = {
    'cls': (('head.', 'head.fc.'), ('aux_head.', 'head.aux_fc.'),
            ('head_cls.', 'head.cls_token_head.fc.'),
            ('norm_cls.', 'head.cls_token_head.norm.')),
    'video': (('head.', 'cls_head.fc_cls.'),
              ('head_cls.', 'cls_head.cls_token_head.fc.'),
              ('norm_cls.', 'cls_head.cls_token_head.norm.')),
    'pose': (('keypoint_head.', 'head.'), ),
}
# Classifier keys of official cls/video files with no place in a dense model.
_UNMAPPED_PREFIXES = ('head_cls.', 'norm_cls.')


def convert_official_checkpoint(checkpoint: dict,
                                task: str) -> Tuple[StateDict, List[str]]:
    """Map an official release checkpoint onto the toolbox model of ``task``.

    Args:
        checkpoint: the loaded file, any release container.
        task: one of :data:`TASKS`.

    Returns:
        ``(state dict of the toolbox model, keys that have no equivalent)``.
    """
    if task not in TASKS:
        raise ValueError(f'task must be one of {TASKS}, got {task!r}')
    state_dict = unwrap_state_dict(checkpoint)
    whole_model = any(k.startswith('backbone.') for k in state_dict)
    # Official cls/video files are bare models; with a ``backbone.`` prefix
    # the file is already converted and passes through unchanged.
    renames = () if whole_model and task in ('cls', 'video') else \
        _HEAD_RENAMES.get(task, ())
    converted, unmapped = OrderedDict(), []
    for key, value in state_dict.items():
        if task not in ('cls', 'video') and key.startswith(
                _UNMAPPED_PREFIXES):
            unmapped.append(key)
            continue
        new_key = next((new + key[len(old):] for old, new in renames
                        if key.startswith(old)), None)
        if new_key is None:
            new_key = key if whole_model else f'backbone.{key}'
        converted[new_key] = value
    return converted, unmapped
