"""Grad-CAM and attention maps on the demo checkpoints: they look at the
drawn shape (slow: trains the short demo models once per session)."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
from helpers import PY, REPO, demo_config, run

pytestmark = pytest.mark.slow

TOOLS = osp.join(REPO, 'tools', 'visualization')


def object_mask(frame):
    """The demo shapes are bright (HSV value >= 170) on a dark background
    (channels <= ~160, uniformer_mm/utils/demo_data.py)."""
    return frame.max(-1) > 150


def heat_on(frame, heat):
    return cv2.resize(heat.astype(np.float32), frame.shape[1::-1],
                      interpolation=cv2.INTER_LINEAR)


def measure_cls(config, checkpoint, data_root):
    """Per validation image: whether the true class's Grad-CAM peaks on the
    shape, the shape's area fraction (chance of a random peak), and the
    share of the last block's attention (and of the rollout) on the shape."""
    from uniformer_mm.visualization.attention import model_attention
    from uniformer_mm.visualization.cam import image_cam
    from uniformer_mm.visualization.inputs import (build_model, load_config,
                                                   prepare)
    cfg = load_config(config)
    model, task = build_model(cfg, checkpoint)
    rows = []
    with open(osp.join(data_root, 'meta', 'val.txt')) as f:
        items = [line.split() for line in f if line.strip()]
    for name, label in items:
        loaded = prepare(model, cfg, task, osp.join(data_root, 'val', name))
        frame = loaded.frames[0]
        mask = object_mask(frame)
        cam = image_cam(model, loaded.inputs, category=int(label))[0]
        maps = model_attention(model, loaded.inputs)
        attn = heat_on(frame, maps['mean'][0])
        roll = heat_on(frame, maps['rollout'][0])
        rows.append(
            dict(area=mask.mean(),
                 cam_std=float(cam.std()),
                 cam_hit=bool(mask.flat[np.argmax(cam)]),
                 attn_share=float(attn[mask].sum() / attn.sum()),
                 roll_share=float(roll[mask].sum() / roll.sum())))
    return rows


def summarize(rows):
    area = np.array([r['area'] for r in rows])
    return dict(
        n=len(rows),
        chance=float(area.mean()),
        cam_peak_on_object=float(np.mean([r['cam_hit'] for r in rows])),
        attn_above_area=float(
            np.mean([r['attn_share'] > r['area'] for r in rows])),
        attn_share=float(np.mean([r['attn_share'] for r in rows])),
        roll_above_area=float(
            np.mean([r['roll_share'] > r['area'] for r in rows])),
        roll_share=float(np.mean([r['roll_share'] for r in rows])))


def test_cls_cam_and_attention_look_at_the_shape(demo_dir, trained):
    _, ckpt = trained('cls')
    rows = measure_cls(demo_config('cls'), ckpt,
                       osp.join(demo_dir, 'data', 'demo', 'cls'))
    stats = summarize(rows)
    print(stats)
    assert all(r['cam_std'] > 0 for r in rows)  # never a constant map
    # the peak lands on the shape more often than a random pixel would
    assert stats['cam_peak_on_object'] > stats['chance'] + 0.05, stats
    # the last block's attention weighs the shape above its area share
    assert stats['attn_above_area'] > 0.5, stats
    assert stats['attn_share'] > stats['chance'], stats


def _tool(name, *args, cwd):
    code, out = run([PY, osp.join(TOOLS, name), *args], cwd)
    assert code == 0, out[-3000:]
    return out


def test_vis_cam_tools_write_pictures(demo_dir, trained, tmp_path):
    _, ckpt = trained('cls')
    image = osp.join(demo_dir, 'data/demo/cls/val/circle/val_circle_0000.png')
    out = str(tmp_path / 'cam.png')
    _tool('vis_cam.py', demo_config('cls'), ckpt, image, '--out', out,
          '--target-category', '0', cwd=demo_dir)
    assert cv2.imread(out).shape == (96, 192, 3)
    # mmpretrain's own tool, unchanged, with its default layer
    mim_out = str(tmp_path / 'mim_cam.png')
    code, log = run([
        osp.join(osp.dirname(PY), 'mim'), 'run', 'mmpretrain', 'vis_cam',
        image, demo_config('cls'), ckpt, '--target-category', '0',
        '--save-path', mim_out
    ], demo_dir)
    assert code == 0, log[-3000:]
    assert 'backbone.norm' in log and cv2.imread(mim_out) is not None


def test_vis_cam_on_the_action_demo(demo_dir, trained, tmp_path):
    _, ckpt = trained('action')
    video = sorted(
        glob.glob(osp.join(demo_dir, 'data/demo/action/videos_val/*.mp4')))[0]
    out = str(tmp_path / 'clip_cam.png')
    _tool('vis_cam.py', demo_config('action'), ckpt, video, '--out', out,
          cwd=demo_dir)
    picture = cv2.imread(out)
    assert picture is not None and picture.std() > 0


@pytest.mark.parametrize('kind', ['global', 'hybrid', 'hourglass', 'video'])
def test_vis_attention_writes_pngs(demo_dir, trained, tmp_path, kind):
    """The demo checkpoint (global blocks); random tiny hybrid and
    hourglass models; the video demo checkpoint (one column per frame)."""
    image = osp.join(demo_dir, 'data/demo/cls/val/circle/val_circle_0000.png')
    options = {
        'hybrid': [
            '--cfg-options', 'model.backbone.attn_modes=[hybrid,window]',
            'model.backbone.window_size=2'
        ],
        'hourglass':
        ['--cfg-options', 'model.backbone.arch.token_keep_ratio=0.6'],
    }.get(kind, [])
    if kind == 'video':
        config, (_, ckpt) = demo_config('action'), trained('action')
        image = sorted(
            glob.glob(
                osp.join(demo_dir, 'data/demo/action/videos_val/*.mp4')))[0]
    elif kind == 'global':
        config, (_, ckpt) = demo_config('cls'), trained('cls')
    else:
        config, ckpt = demo_config('cls'), 'random'
    out = _tool('vis_attention.py', config, ckpt, image, '--out-dir',
                str(tmp_path), *options, cwd=demo_dir)
    written = sorted(p for p in out.split() if p.endswith('.png'))
    expected = {'attention', 'rollout'} | ({'scores'}
                                           if kind == 'hourglass' else set())
    assert {p.rsplit('_', 1)[1][:-4] for p in written} == expected
    for path in written:
        picture = cv2.imread(path)
        assert picture is not None and picture.std() > 0
