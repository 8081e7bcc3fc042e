"""uniformer_mm.utils.demo_data: the demo datasets (deterministic, in the
toolboxes' on-disk formats) and the options that move a demo config to
another data folder."""
import hashlib
import json
import os
import os.path as osp

import numpy as np
import pytest
from helpers import load

from uniformer_mm.utils.checks import dataset_paths, evaluator_paths
from uniformer_mm.utils.demo_data import (CLS_CLASSES, DET_CLASSES, TASKS,
                                          data_options, make_task)


def digest(folder):
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(folder)):
        dirs.sort()
        for name in sorted(files):
            path = osp.join(root, name)
            h.update(osp.relpath(path, folder).encode())
            with open(path, 'rb') as f:
                h.update(f.read())
    return h.hexdigest()


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('demo_data'))
    for task in TASKS:
        assert make_task(out, task)
    return out


def test_demo_data_is_deterministic(data, tmp_path):
    for task in ('cls', 'det', 'seg'):  # the cheap ones
        assert make_task(str(tmp_path), task)
        assert digest(osp.join(data,
                               task)) == digest(osp.join(tmp_path, task)), task
    # an existing set is kept unless forced
    assert not make_task(str(tmp_path), 'cls')
    assert make_task(str(tmp_path), 'cls', force=True)
    assert not [p for p in os.listdir(tmp_path) if p.startswith('.')]


def test_cls_layout(data):
    root = osp.join(data, 'cls')
    for split in ('train', 'val'):
        with open(osp.join(root, 'meta', f'{split}.txt')) as f:
            lines = f.read().split()
        files, labels = lines[0::2], [int(x) for x in lines[1::2]]
        assert set(labels) == set(range(len(CLS_CLASSES)))
        for name, label in zip(files, labels):
            assert name.split('/')[0] == CLS_CLASSES[label]
            assert osp.isfile(osp.join(root, split, name))


def test_coco_instances(data):
    from pycocotools.coco import COCO
    root = osp.join(data, 'det')
    for split in ('train2017', 'val2017'):
        coco = COCO(osp.join(root, 'annotations', f'instances_{split}.json'))
        assert [c['name'] for c in coco.loadCats(coco.getCatIds())
                ] == list(DET_CLASSES)
        for ann in coco.loadAnns(coco.getAnnIds()):
            img = coco.loadImgs(ann['image_id'])[0]
            x, y, w, h = ann['bbox']
            assert w > 5 and h > 5
            assert x >= 0 and y >= 0
            assert x + w <= img['width'] and y + h <= img['height']
            mask = coco.annToMask(ann)
            assert abs(mask.sum() - ann['area']) < 0.2 * ann['area'] + 20
        assert osp.isfile(osp.join(root, split, img['file_name']))


def test_ade_labels(data):
    import cv2
    root = osp.join(data, 'seg')
    for split in ('training', 'validation'):
        names = sorted(os.listdir(osp.join(root, 'annotations', split)))
        assert names
        values = set()
        for name in names:
            lab = cv2.imread(
                osp.join(root, 'annotations', split, name),
                cv2.IMREAD_UNCHANGED)
            assert lab.ndim == 2 and lab.dtype == np.uint8
            values |= set(np.unique(lab).tolist())
            assert osp.isfile(
                osp.join(root, 'images', split, name[:-4] + '.jpg'))
        # 0 = other (ignored with reduce_zero_label), 1..5 = the classes
        assert values <= set(range(6)) and {1, 2, 3, 4, 5} <= values


def test_coco_keypoints(data):
    root = osp.join(data, 'pose')
    with open(osp.join(root, 'annotations',
                       'person_keypoints_val2017.json')) as f:
        coco = json.load(f)
    assert len(coco['categories'][0]['keypoints']) == 17
    sizes = {i['id']: (i['width'], i['height']) for i in coco['images']}
    for ann in coco['annotations']:
        kpts = np.array(ann['keypoints']).reshape(17, 3)
        vis = kpts[:, 2] > 0
        assert ann['num_keypoints'] == vis.sum() == 13
        assert not vis[1:5].any()  # eyes and ears unlabelled
        x, y, w, h = ann['bbox']
        assert (kpts[vis, 0] >= x - 1).all() and (kpts[vis, 0]
                                                  <= x + w + 1).all()
        assert x + w <= sizes[ann['image_id']][0]
        # the person's left side is on the image's right (flip-consistent)
        assert (kpts[[5, 11], 0] > kpts[[6, 12], 0]).all()


def test_videos_decode(data):
    decord = pytest.importorskip('decord')
    root = osp.join(data, 'action')
    with open(osp.join(root, 'val_list_videos.txt')) as f:
        lines = [line.split() for line in f if line.strip()]
    assert {int(label) for _, label in lines} == {0, 1, 2, 3}
    reader = decord.VideoReader(osp.join(root, 'videos_val', lines[0][0]))
    assert len(reader) == 32
    assert reader[0].shape == (64, 64, 3)


@pytest.mark.parametrize('task', TASKS)
def test_data_options_move_every_path(task, tmp_path):
    """data_options point every dataset and evaluator path of the demo
    config at the given folder."""
    cfg = load(f'configs/demo/{task}_demo.py')
    cfg.merge_from_dict(
        dict(o.split('=', 1) for o in data_options(task, str(tmp_path))))
    paths = []
    for phase in ('train', 'val', 'test'):
        paths += [
            p for _, p in dataset_paths(cfg[f'{phase}_dataloader'].dataset,
                                        phase)
        ]
        paths += [
            p for _, p in evaluator_paths(cfg.get(f'{phase}_evaluator'),
                                          phase)
        ]
    assert paths and all(p.startswith(str(tmp_path)) for p in paths), paths


#: sha256 of the COCO annotation files as the two generators wrote them
#: before det and pose shared one writer (numpy / OpenCV as installed by
#: tools/install.sh; a change of those may change them too)
COCO_DIGESTS = {
    'det/annotations/instances_train2017.json':
    '474692638f9c1371bb8af49da389ea68b5fa383d22bdb17b3b0e2076cde0b552',
    'det/annotations/instances_val2017.json':
    '21904464f7252c9319a9921957ed823195b362819a5aded76c1b4dc1a70941cc',
    'pose/annotations/person_keypoints_train2017.json':
    'd44096dab4ef7f51f2b24eff988ec66341ee251abe4b3c71790737e70c9d3d3e',
    'pose/annotations/person_keypoints_val2017.json':
    '079dc997eb8e7dd5fd9e19790d7c947863278b63e27dfdf8c8223fd1065e2924',
}


@pytest.mark.parametrize('path', COCO_DIGESTS)
def test_coco_annotations_unchanged(data, path):
    with open(osp.join(data, path), 'rb') as f:
        assert hashlib.sha256(f.read()).hexdigest() == COCO_DIGESTS[path]
