"""Converted official checkpoints through the toolboxes' inferencers.

For each task a paper config's model is built with random weights, saved in
the official release layout (bare image/video classifiers, mmcv whole-model
files for det/seg/pose), converted by ``tools/model_converters/
uniformer_to_mm.py`` and run by ``tools/infer.py`` (the toolbox's own
inferencer) on CPU: the predictions must carry the names of the release's
dataset (ImageNet, COCO, ADE20K, COCO keypoints, Kinetics-400) from the
converted file's ``dataset_meta``. The light (XXS) variants keep it quick.
"""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
from helpers import REPO, build_model, load
import torch

import uniformer_mm  # noqa: F401  (registers the model index and modules)
from uniformer_mm.weights.dataset_meta import official_dataset_meta

pytestmark = pytest.mark.slow

PY = sys.executable
# Official layout of each task: (prefix in our model, prefix in the release)
OFFICIAL_KEYS = {
    'cls': (('backbone.', ''), ('head.fc.', 'head.'),
            ('head.cls_token_head.fc.', 'head_cls.'),
            ('head.cls_token_head.norm.', 'norm_cls.')),
    'action': (('backbone.', ''), ('cls_head.fc_cls.', 'head.'),
               ('cls_head.cls_token_head.fc.', 'head_cls.'),
               ('cls_head.cls_token_head.norm.', 'norm_cls.')),
    'pose': (('head.', 'keypoint_head.'), ('', '')),
}
CASES = {
    'cls': ('configs/cls/uniformer_xxs_600e_in1k-128px.py', 'image'),
    'det': ('configs/det/mask_rcnn_uniformer_xxs_1x.py', 'image'),
    'seg': ('configs/seg/fpn_uniformer_xxs_80k_ade20k.py', 'image'),
    'pose': ('configs/pose/topdown_heatmap_uniformer_s_210e_coco_256x192.py',
             'image'),
    'action': ('configs/action/uniformer_xxs_sparse4_k400_128px.py', 'video'),
}
DATASET = dict(cls='in1k', det='coco', seg='ade20k', pose='coco',
               action='k400')
# Random weights score below the detector's threshold: keep every box.
OPTIONS = dict(det=['--cfg-options', 'model.test_cfg.rcnn.score_thr=0'])


def official_release(task: str, config: str) -> dict:
    """The config's model with random weights, in the official layout."""
    cfg = load(config)
    cfg.model.backbone.init_cfg = None
    torch.manual_seed(0)
    model = build_model(cfg)
    model.init_weights()
    state = model.state_dict()
    renames = OFFICIAL_KEYS.get(task)
    if renames is None:  # mmcv whole-model files, as the dense releases
        return {'meta': {}, 'state_dict': state}
    official = {}
    for key, value in state.items():
        ours, theirs = next(r for r in renames if key.startswith(r[0]))
        official[theirs + key[len(ours):]] = value
    return {'meta': {}, 'state_dict': official} if task == 'pose' else \
        {'model': official}


def write_input(kind: str, folder) -> str:
    import cv2
    rng = np.random.default_rng(0)
    if kind == 'image':
        path = str(folder / 'input.jpg')
        cv2.imwrite(path, rng.integers(0, 255, (180, 240, 3), np.uint8))
        return path
    path = str(folder / 'input.mp4')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 8,
                             (160, 128))
    for _ in range(16):
        writer.write(rng.integers(0, 255, (128, 160, 3), np.uint8))
    writer.release()
    return path


def run(args, cwd):
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONWARNINGS='ignore'))
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize('task', CASES)
def test_converted_release_through_the_toolbox_inferencer(task, tmp_path):
    config, kind = CASES[task]
    release = tmp_path / 'official.pth'
    torch.save(official_release(task, config), release)
    converted = str(tmp_path / 'converted.pth')
    code, out = run([PY, osp.join(REPO, 'tools', 'model_converters',
                                  'uniformer_to_mm.py'), str(release),
                     converted, '--task', task], REPO)
    assert code == 0, out[-3000:]
    inputs = write_input(kind, tmp_path)
    out_dir = str(tmp_path / 'out')
    code, out = run([PY, osp.join(REPO, 'tools', 'infer.py'),
                     osp.join(REPO, config), converted, inputs, '--out-dir',
                     out_dir, '--device', 'cpu', '--score-thr', '0',
                     *OPTIONS.get(task, [])], REPO)
    assert code == 0, out[-3000:]
    with open(osp.join(out_dir, 'predictions.json')) as f:
        result = json.load(f)[inputs]
    meta = official_dataset_meta(task, DATASET[task])
    if task == 'pose':
        names = list(meta['keypoint_id2name'].values())
        predicted = [n for p in result['people'] for n in p['keypoints']]
        assert predicted == names  # one whole-image person, 17 keypoints
        return
    predicted = (result['names'] if task == 'det' else list(
        result['classes']) if task == 'seg' else
                 [t['name'] for t in result['top']])
    assert predicted and set(predicted) <= set(meta['classes'])
    if task in ('cls', 'action'):
        assert [meta['classes'][t['label']] for t in result['top']] == \
            predicted


def test_get_model_by_name_with_a_converted_checkpoint(tmp_path):
    """mmpretrain's hub knows our configs by name; a converted release
    loads into them and predicts ImageNet class names."""
    import mmpretrain
    from mmpretrain.apis import ImageClassificationInferencer
    name = 'uniformer_xxs_600e_in1k-128px'
    assert name in mmpretrain.list_models('uniformer*')
    release = tmp_path / 'official.pth'
    torch.save(official_release('cls', CASES['cls'][0]), release)
    converted = str(tmp_path / 'converted.pth')
    subprocess.run([PY, osp.join(REPO, 'tools', 'model_converters',
                                 'uniformer_to_mm.py'), str(release),
                    converted, '--task', 'cls'], check=True,
                   capture_output=True)
    model = mmpretrain.get_model(name, pretrained=converted)
    assert model._dataset_meta['classes'][0] == 'tench, Tinca tinca'
    image = np.random.default_rng(0).integers(0, 255, (140, 150, 3),
                                              np.uint8)
    result = ImageClassificationInferencer(model)(image)[0]
    assert result['pred_class'] == \
        model._dataset_meta['classes'][result['pred_label']]
