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
action     SlowFast-style video (mmaction2) ``k`` -> ``backbone.k``;
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

:func:`convert_release` adds what the toolboxes need around the weights:
video classifier rows are permuted from the official class order to
mmaction2's label maps (Kinetics-400/600, Something-Something V1; see
:mod:`uniformer_mm.weights.class_orders`), and ``meta['dataset_meta']``
names the classes (palettes, keypoints) of the release's dataset.

:func:`identify_checkpoint` tells what a file is before anything is
converted: an official release, a file this converter wrote, a whole model
that mmaction2 or mmpose host (already in the toolbox layout and label
order: it loads as is, and its classes are never permuted again), or
another toolbox checkpoint.
"""
from collections import OrderedDict
from typing import List, Optional, Sequence, Tuple

from .class_orders import (CLASS_ORDER_FILES, official_to_mmaction,
                           video_dataset_of)
from .containers import StateDict, unwrap_state_dict
from .dataset_meta import NUM_CLASSES, TASK_DATASETS, official_dataset_meta
from .releases import find_release

TASKS = ('cls', 'action', 'det', 'seg', 'pose')

#: What :func:`identify_checkpoint` says a file is.
KINDS = {
    'official': 'an official Sense-X/UniFormer release',
    'converted': 'a checkpoint this converter wrote',
    'mmaction2': 'a model hosted by mmaction2 (its layout and class '
    'order): it loads as is into configs/action',
    'mmpose': 'a model hosted by mmpose (its layout): it loads as is into '
    'configs/pose',
    'toolbox': 'an OpenMMLab 2.x model checkpoint (toolbox layout)',
}

_HEAD_RENAMES = {
    'cls': (('head.', 'head.fc.'), ('aux_head.', 'head.aux_fc.'),
            ('head_cls.', 'head.cls_token_head.fc.'),
            ('norm_cls.', 'head.cls_token_head.norm.')),
    'action': (('head.', 'cls_head.fc_cls.'),
               ('head_cls.', 'cls_head.cls_token_head.fc.'),
               ('norm_cls.', 'cls_head.cls_token_head.norm.')),
    'pose': (('keypoint_head.', 'head.'), ),
}
# Classifier keys of official cls/video files with no place in a dense model.
_UNMAPPED_PREFIXES = ('head_cls.', 'norm_cls.')


def identify_checkpoint(checkpoint: dict, source: str = '') -> str:
    """What a loaded checkpoint is: a key of :data:`KINDS`.

    Args:
        checkpoint: the loaded file.
        source: its file name or URL (files the release table lists as
            hosted by mmaction2 / mmpose are named so).
    """
    meta = checkpoint.get('meta')
    meta = meta if isinstance(meta, dict) else {}
    if 'converted_from' in meta:
        return 'converted'
    release = find_release(source) if source else None
    if release is not None and release.layout != 'official':
        return release.layout
    keys = list(unwrap_state_dict(checkpoint))
    if not any(k.startswith('backbone.') for k in keys):
        return 'official'  # bare image / video / light / TL releases
    if 'config' in meta or any(k.startswith('keypoint_head.') for k in keys):
        return 'official'  # mmcv 1.x det / seg, mmpose 0.x pose
    return 'toolbox'


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
    renames = () if whole_model and task in ('cls', 'action') else \
        _HEAD_RENAMES.get(task, ())
    converted, unmapped = OrderedDict(), []
    for key, value in state_dict.items():
        if task not in ('cls', 'action') and key.startswith(
                _UNMAPPED_PREFIXES):
            unmapped.append(key)
            continue
        new_key = next((new + key[len(old):] for old, new in renames
                        if key.startswith(old)), None)
        if new_key is None:
            new_key = key if whole_model else f'backbone.{key}'
        converted[new_key] = value
    return converted, unmapped


#: Converted weights whose rows are the classes, per task (the first one
#: present tells the number of classes).
CLASS_ROWS = {
    'cls': ('head.fc.', 'head.aux_fc.', 'head.cls_token_head.fc.'),
    'action': ('cls_head.fc_cls.', 'cls_head.cls_token_head.fc.'),
    'det': ('roi_head.bbox_head.fc_cls.', 'roi_head.bbox_head.0.fc_cls.'),
    'seg': ('decode_head.conv_seg.', ),
    'pose': ('head.final_layer.', ),
}
#: Rows of those weights that are not classes (the detector's background).
_EXTRA_ROWS = {'det': 1}


def num_classes(state_dict: StateDict, task: str) -> Optional[int]:
    """Classes (pose: keypoints) of a converted model, None if no head."""
    for prefix in CLASS_ROWS[task]:
        weight = state_dict.get(prefix + 'weight')
        if weight is not None:
            return weight.shape[0] - _EXTRA_ROWS.get(task, 0)
    return None


def reorder_classes(state_dict: StateDict, task: str,
                    order: Sequence[int]) -> StateDict:
    """Permute classifier rows: new row ``j`` is old row ``order[j]``."""
    result = OrderedDict(state_dict)
    for key, value in state_dict.items():
        if key.startswith(CLASS_ROWS[task]):
            result[key] = value[list(order)]
    return result


def convert_release(checkpoint: dict,
                    task: str,
                    dataset: str = 'auto',
                    keep_official_order: bool = False,
                    source: str = '') -> dict:
    """Convert an official release into a toolbox checkpoint with meta.

    Official files are in the official class order; files this converter
    wrote record theirs (older versions wrote none and kept the official
    order); whole models of the toolboxes (hosted by mmaction2, or trained
    with them) are in mmaction2's order and are never permuted again.

    Args:
        checkpoint: the loaded file (official, converted, or a toolbox
            model).
        task: one of :data:`TASKS`.
        dataset: the release's dataset (see
            :data:`~uniformer_mm.weights.dataset_meta.TASK_DATASETS`);
            ``'auto'`` takes the task's dataset (video: by head size, 400 or
            600 classes; Something-Something V1/V2 must be named); ``'none'``
            writes no ``dataset_meta``.
        keep_official_order: keep the official video class order (and name
            the classes in that order) instead of mmaction2's.
        source: the input's path or URL (its file name is recorded in
            ``meta['converted_from']``).

    Returns:
        ``dict(state_dict=..., meta=..., unmapped=[keys], kind=...)``,
        ``kind`` as :func:`identify_checkpoint` says.

    Raises:
        ValueError: the dataset does not fit the task or the head size.
    """
    kind = identify_checkpoint(checkpoint, source)
    state_dict, unmapped = convert_official_checkpoint(checkpoint, task)
    previous = checkpoint.get('meta') or {}
    classes = num_classes(state_dict, task)
    dataset = _resolve_dataset(task, dataset, classes, previous)
    order = previous.get('class_order') or (
        'official' if kind in ('official', 'converted') else 'mmaction')
    if (task == 'action' and dataset in CLASS_ORDER_FILES
            and order == 'official' and not keep_official_order):
        state_dict = reorder_classes(state_dict, task,
                                     official_to_mmaction(dataset))
        order = 'mmaction'
    meta = dict(converted_from=previous.get('converted_from',
                                            source.rsplit('/', 1)[-1]),
                task=task, dataset=dataset, class_order=order)
    if dataset != 'none':
        meta['dataset_meta'] = official_dataset_meta(task, dataset, order)
    return dict(state_dict=state_dict, meta=meta, unmapped=unmapped,
                kind=kind)


def _resolve_dataset(task: str, dataset: str, classes: Optional[int],
                     previous: dict) -> str:
    if dataset == 'auto' and previous.get('dataset'):
        dataset = previous['dataset']
    elif dataset == 'auto' and task == 'action':
        dataset = video_dataset_of(classes) if classes else 'none'
    elif dataset == 'auto':
        dataset = TASK_DATASETS[task][0]
    if dataset == 'none':
        return dataset
    if dataset not in TASK_DATASETS[task]:
        raise ValueError(f'--dataset {dataset!r} is not a {task} dataset; '
                         f'choose from {TASK_DATASETS[task]} or none')
    expected = NUM_CLASSES[dataset] if task != 'pose' else 17
    if classes is not None and classes != expected:
        raise ValueError(
            f'the {task} head has {classes} classes, {dataset} has '
            f'{expected}: pass the right --dataset, or --dataset none for '
            'a model trained on other data (no class names are written)')
    return dataset
