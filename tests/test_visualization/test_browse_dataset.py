"""browse_dataset: every transform of the demo pipelines is drawn, RandAugment
and ClipRandAugment (under mmaction2's RepeatAugDataset) and the token-label
transforms included."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from helpers import PY, REPO, demo_config, run
from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope

from uniformer_mm.visualization.drawing import CAPTION_HEIGHT
from uniformer_mm.visualization.pipeline import browse, draw_token_label

TOOL = osp.join(REPO, 'tools', 'visualization', 'browse_dataset.py')
HEIGHT = 64


def build_train_set(cfg):
    init_default_scope(cfg.default_scope)
    return DATASETS.build(cfg.train_dataloader.dataset)


def test_tool_writes_one_row_per_transform(demo_dir, tmp_path):
    out = str(tmp_path / 'browse')
    code, log = run([
        PY, TOOL,
        demo_config('cls'), '--out-dir', out, '-n', '2', '--height',
        str(HEIGHT)
    ], demo_dir)
    assert code == 0, log[-3000:]
    steps = [t['type'] for t in Config.fromfile(
        demo_config('cls')).train_dataloader.dataset.pipeline]
    assert 'RandAugment' in steps
    pngs = sorted(glob.glob(osp.join(out, '*.png')))
    assert len(pngs) == 2
    for png in pngs:
        assert f'{png}: ' + ', '.join(steps) in log
        picture = cv2.imread(png)
        assert picture.shape[0] == len(steps) * (CAPTION_HEIGHT + HEIGHT)
        assert picture.std() > 10  # images, not blank rows


def test_tool_names_missing_data(tmp_path):
    code, log = run(
        [PY, TOOL, demo_config('cls'), '--out-dir',
         str(tmp_path / 'o')], str(tmp_path))
    assert code == 2 and 'data not found' in log, log[-2000:]


def test_clip_rand_augment_is_drawn_for_every_repeat(demo_dir, monkeypatch):
    """mmaction2's RepeatAugDataset loads a video once and runs the
    augmentations per repeat, calling the transforms one by one."""
    monkeypatch.chdir(demo_dir)
    cfg = Config.fromfile(demo_config('action'))
    dataset_cfg = cfg.train_dataloader.dataset
    assert dataset_cfg.type == 'RepeatAugDataset'
    sample, = browse(build_train_set(cfg), [0], rgb=True, max_frames=4)
    augments = [s for s in sample.steps if s.name == 'ClipRandAugment']
    assert len(augments) == dataset_cfg.num_repeats
    for step in augments:
        assert step.frames.shape == (4, 112, 112, 3)
    packed = [s for s in sample.steps if s.name == 'PackActionInputs']
    assert [s.frames.shape for s in packed] == [(4, 96, 96, 3)] * len(packed)
    assert sample.source.endswith('.mp4')


@pytest.fixture
def token_label_cfg(demo_dir, tmp_path):
    """The demo classifier with the token-label pipeline (flip forced) and
    a label map per training image: its class on the left half, the next
    class on the right half."""
    cfg = Config.fromfile(demo_config('cls'))
    mixin = Config.fromfile(
        osp.join(REPO, 'configs', 'cls', '_base_', 'token_label.py'))
    labels = tmp_path / 'labels'
    pipeline = []
    for t in mixin.token_label_train_pipeline:
        if t.type == 'uniformer_mm.LoadTokenLabel':
            t.label_root = str(labels)
        elif t.type == 'uniformer_mm.TokenLabelRandomFlip':
            t.prob = 1.
        elif t.type == 'uniformer_mm.TokenLabelRandomResizedCrop':
            t.scale = 96
        pipeline.append(t)
    cfg.train_dataloader.dataset.pipeline = pipeline
    cfg.train_dataloader.dataset.data_root = osp.join(
        demo_dir, cfg.train_dataloader.dataset.data_root)
    dataset = build_train_set(cfg)
    for info in dataset.load_data_list():
        label = np.zeros((2, 1, 4, 4), np.float32)
        label[0] = 1.
        label[1, 0, :, :2] = info['gt_label']
        label[1, 0, :, 2:] = info['gt_label'] + 1
        path = labels / osp.basename(osp.dirname(info['img_path'])) / (
            osp.splitext(osp.basename(info['img_path']))[0] + '.pt')
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(torch.from_numpy(label), path)
    return cfg


def test_token_label_map_follows_the_image(token_label_cfg):
    sample, = browse(build_train_set(token_label_cfg), [0], rgb=False)
    steps = {s.name: s for s in sample.steps}
    loaded = steps['LoadTokenLabel'].token_label
    assert np.unique(loaded.reshape(-1, 3), axis=0).shape[0] == 2
    flipped = steps['TokenLabelRandomFlip']
    assert np.array_equal(flipped.token_label, loaded[:, ::-1])
    assert np.array_equal(flipped.frames[0],
                          steps['LoadImageFromFile'].frames[0][:, ::-1])
    cropped = steps['TokenLabelRandomResizedCrop']
    assert cropped.frames.shape == (1, 96, 96, 3)
    x1, y1, x2, y2 = cropped.token_label_box
    assert 0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1
    assert 'TokenLabelRandAugment' in steps


def test_draw_token_label_colours_classes_and_shades_scores():
    label = np.zeros((2, 1, 2, 2), np.float32)
    label[1, 0, 0] = [1, 2]
    label[1, 0, 1] = [1, 1]
    label[0, 0] = [[1., 1.], [1., 0.]]
    drawn = draw_token_label(label).astype(int)
    assert (drawn[0, 0] != drawn[0, 1]).any()  # another class
    assert drawn[0, 0].sum() > drawn[1, 1].sum()  # same class, low score
