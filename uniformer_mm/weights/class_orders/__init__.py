"""Class orders of the official UniFormer video classifiers vs mmaction2.

The rows of an official classifier follow the label indices of the official
data lists; mmaction2's annotation files follow its label maps
(``tools/data/<dataset>/label_map*.txt`` of the mmaction2 repository). Where
the two differ, converted weights must have their rows permuted, or a
correct model scores ~0 % on mmaction2 annotations.

======== ============================================ =======================
dataset  official order (row ``i`` of the head)      mmaction2 label map
======== ============================================ =======================
k400     ``data_list/k400/kinetics_400_categroies``   alphabetical
k600     ``data_list/k600/k600_{common,special}_``    alphabetical
         ``category.list`` (val.csv: feeding fish 0)
sthv1    alphabetical (TSM lists)                     order of the 20BN
                                                      ``...-v1-labels.csv``
sthv2    ids of the 20BN ``...-v2-labels.json``       the same ids
======== ============================================ =======================

(Official paths are in Sense-X/UniFormer ``video_classification/``.) Each
file here holds one class name per line, in mmaction2's spelling (K600's
official underscore names mapped onto it). ImageNet-1k needs no file: the
official DeiT/timm code and mmpretrain both use the sorted WordNet ids.
"""
import os.path as osp
from typing import List

_HERE = osp.dirname(osp.abspath(__file__))

#: ``dataset: (official order file, mmaction2 order file, number of classes)``
CLASS_ORDER_FILES = {
    'k400': ('kinetics400_official.txt', 'kinetics400_mmaction.txt', 400),
    'k600': ('kinetics600_official.txt', 'kinetics600_mmaction.txt', 600),
    'sthv1': ('sthv1_official.txt', 'sthv1_mmaction.txt', 174),
    'sthv2': ('sthv2.txt', 'sthv2.txt', 174),
}
ORDERS = ('official', 'mmaction')


def video_class_names(dataset: str, order: str = 'mmaction') -> List[str]:
    """Class names of a video dataset, in the official or mmaction2 order."""
    if dataset not in CLASS_ORDER_FILES:
        raise ValueError(f'no class order for dataset {dataset!r}; known: '
                         f'{sorted(CLASS_ORDER_FILES)}')
    if order not in ORDERS:
        raise ValueError(f'order must be one of {ORDERS}, got {order!r}')
    official, mmaction, _ = CLASS_ORDER_FILES[dataset]
    path = osp.join(_HERE, official if order == 'official' else mmaction)
    with open(path, encoding='utf-8') as f:
        return [line.rstrip('\n') for line in f if line.strip()]


def official_to_mmaction(dataset: str) -> List[int]:
    """``perm`` with ``mmaction_rows = official_rows[perm]``.

    Entry ``j`` is the official row of mmaction2's class ``j``.
    """
    official = {
        name: i
        for i, name in enumerate(video_class_names(dataset, 'official'))
    }
    return [official[name] for name in video_class_names(dataset)]


def video_dataset_of(num_classes: int) -> str:
    """The Kinetics dataset a classifier with ``num_classes`` rows is for.

    Raises:
        ValueError: 174 classes (Something-Something V1 or V2: say which) or
            a count no official video release has.
    """
    matches = [
        name for name, (_, _, count) in CLASS_ORDER_FILES.items()
        if count == num_classes
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValueError(
            f'a {num_classes}-class video classifier is one of {matches}: '
            f'pass --dataset {" or --dataset ".join(matches)}')
    raise ValueError(
        f'no official video release has {num_classes} classes '
        f'({", ".join(f"{k}: {v[2]}" for k, v in CLASS_ORDER_FILES.items())}'
        '); pass --dataset none to convert without class names')
