"""``meta['dataset_meta']`` of converted official checkpoints.

The toolboxes' inferencers and ``get_model`` read class names (and
palettes, keypoint definitions) from ``checkpoint['meta']['dataset_meta']``
and otherwise fall back to another dataset's (mmseg: Cityscapes). The
official releases carry none, so the converter writes the metainfo of the
dataset each release was trained on, taken from the toolbox's own dataset
class (the toolbox is imported only when it is asked for).
"""
import copy
from typing import Optional

from .class_orders import CLASS_ORDER_FILES, video_class_names

#: Dataset of the official releases of each task (video: by head size).
TASK_DATASETS = {
    'cls': ('in1k', ),
    'det': ('coco', ),
    'seg': ('ade20k', ),
    'pose': ('coco', ),
    'action': tuple(CLASS_ORDER_FILES),
}
#: Number of classes of each dataset (pose: keypoints).
NUM_CLASSES = dict(in1k=1000, coco=80, ade20k=150,
                   **{k: v[2]
                      for k, v in CLASS_ORDER_FILES.items()})


def _imagenet() -> dict:
    from mmpretrain.datasets.categories import IMAGENET_CATEGORIES
    return dict(classes=list(IMAGENET_CATEGORIES))


def _coco_instances() -> dict:
    from mmdet.datasets import CocoDataset
    return copy.deepcopy(CocoDataset.METAINFO)


def _ade20k() -> dict:
    from mmseg.datasets import ADE20KDataset
    return copy.deepcopy(ADE20KDataset.METAINFO)


def _coco_keypoints() -> dict:
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    return parse_pose_metainfo(
        dict(from_file='configs/_base_/datasets/coco.py'))


_BUILDERS = {
    ('cls', 'in1k'): _imagenet,
    ('det', 'coco'): _coco_instances,
    ('seg', 'ade20k'): _ade20k,
    ('pose', 'coco'): _coco_keypoints,
}


def official_dataset_meta(task: str, dataset: str,
                          order: str = 'mmaction') -> Optional[dict]:
    """The toolbox metainfo of ``dataset`` for a ``task`` model.

    Args:
        task: converter task (cls, action, det, seg, pose).
        dataset: one of :data:`TASK_DATASETS` ``[task]``.
        order: video class order of the converted classifier rows,
            ``'mmaction'`` or ``'official'``.

    Returns:
        ``dict(classes=..., ...)`` as the toolbox's dataset ``metainfo``.
    """
    if dataset not in TASK_DATASETS.get(task, ()):
        raise ValueError(
            f'no dataset {dataset!r} for task {task!r}: official {task} '
            f'releases are trained on {TASK_DATASETS.get(task)}')
    if task == 'action':
        return dict(classes=video_class_names(dataset, order))
    return _BUILDERS[(task, dataset)]()
