"""Tiny, deterministic, real-format datasets for the five demo tasks.

Every set has a signal a small model learns in a few hundred CPU iterations,
and is stored in the on-disk format the toolbox's own dataset class reads, so
the demo configs only change data roots and file names:

========  ===================================  ==============================
task      layout (under ``OUT/<task>/``)       toolbox dataset
========  ===================================  ==============================
cls       ``train/<class>/*.png`` +             mmpretrain ``ImageNet``
          ``meta/{train,val}.txt``              (CustomDataset layout)
det       ``{train,val}2017/*.jpg`` +            mmdet ``CocoDataset``
          ``annotations/instances_*.json``      (boxes + polygons)
seg       ``images/{training,validation}`` +    mmseg ``ADE20KDataset``
          ``annotations/...`` (label pngs)      (0 = other, ignored)
pose      ``{train,val}2017/*.jpg`` +            mmpose ``CocoDataset``
          ``annotations/person_keypoints_*``    (17-keypoint COCO format)
action    ``videos_{train,val}/*.mp4`` +         mmaction2 ``VideoDataset``
          ``{train,val}_list_videos.txt``       (Kinetics list format)
========  ===================================  ==============================

* cls: the class is the shape (circle, square, triangle, cross) at a random
  position, size and angle; each class has its own colour family too.
* det: 1-3 coloured shapes per image; category = shape (with a colour family
  per category); masks are the exact polygons that were drawn.
* seg: outdoor-like scenes with ADE20K's first five classes (wall, building,
  sky, floor, tree) as label values 1..5 and small "other" blobs as 0, so
  ``reduce_zero_label=True`` works exactly as on ADE20K.
* pose: a stick figure facing the camera (its left side on the image's right,
  so flip augmentation stays consistent) with 13 of COCO's 17 keypoints
  labelled; eyes and ears are unlabelled (visibility 0).
* action: short mp4 clips (written with OpenCV) of a square that moves down,
  moves up, grows or shrinks; each class also has its own colour family.

The command line is ``tools/dataset_converters/make_demo_data.py``::

    python tools/dataset_converters/make_demo_data.py          # data/demo
    python tools/dataset_converters/make_demo_data.py --out /tmp/d --tasks det
    python tools/dataset_converters/make_demo_data.py --force  # rewrite

A task directory is written under a temporary name and renamed when complete,
so an interrupted run never leaves a half-written set that looks finished.
"""
import json
import os
import os.path as osp
import shutil

import cv2
import numpy as np

TASKS = ('cls', 'det', 'seg', 'pose', 'action')
DONE_FILE = 'DONE'  # written last inside every finished task directory
# Bump when the generated content changes: older sets are then rewritten.
DATA_VERSION = 1

# ----------------------------------------------------------------- helpers


def _background(rng, h, w, base=None):
    """A dark noisy gradient background, uint8 BGR of shape (h, w, 3)."""
    if base is None:
        base = rng.integers(20, 90, size=3)
    gy = np.linspace(0, 1, h)[:, None, None]
    gx = np.linspace(0, 1, w)[None, :, None]
    tilt = rng.uniform(-25, 25, size=(2, 3))
    img = base + gy * tilt[0] + gx * tilt[1]
    img = img + rng.normal(0, 6, size=(h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def _bright_colour(rng, hue=None):
    """A saturated colour far from the dark backgrounds, as a BGR tuple.

    ``hue`` (OpenCV scale, 0-180) picks a colour family (jittered by +-8);
    by default the hue is random.
    """
    if hue is None:
        hue = int(rng.integers(0, 180))
    else:
        hue = (hue + int(rng.integers(-8, 9))) % 180
    hsv = np.uint8(
        [[[hue, int(rng.integers(150, 256)),
           int(rng.integers(170, 256))]]])
    return tuple(int(c) for c in cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0])


def _shape_polygon(kind, cx, cy, size, angle):
    """Vertices (N, 2) float of a shape centred at (cx, cy)."""
    if kind == 'circle':
        t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
        pts = np.stack([np.cos(t), np.sin(t)], 1) * size
    elif kind == 'square':
        pts = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], float) * size
        pts *= 0.85
    elif kind == 'triangle':
        t = np.array([-90, 30, 150]) * np.pi / 180
        pts = np.stack([np.cos(t), np.sin(t)], 1) * size * 1.1
    elif kind == 'cross':
        a, b = 1.0, 0.35
        pts = np.array([[-b, -a], [b, -a], [b, -b], [a, -b], [a, b], [b, b],
                        [b, a], [-b, a], [-b, b], [-a, b], [-a, -b], [-b, -b]
                        ]) * size
    else:
        raise ValueError(f'unknown shape {kind!r}')
    if kind != 'circle':
        c, s = np.cos(angle), np.sin(angle)
        pts = pts @ np.array([[c, s], [-s, c]])
    return pts + np.array([cx, cy])


def _fill(img, pts, colour):
    cv2.fillPoly(
        img, [np.round(pts).astype(np.int32)], colour, lineType=cv2.LINE_AA)


def _write_json(path, obj):
    with open(path, 'w') as f:
        json.dump(obj, f)


def _imwrite(path, img):
    if not cv2.imwrite(path, img):
        raise OSError(f'could not write {path}')


# ----------------------------------------------------------- classification
CLS_CLASSES = ('circle', 'square', 'triangle', 'cross')
# Each class also has a colour family (red, green, blue, yellow): a redundant,
# easy cue, so that a tiny model beats chance within a few hundred steps.
CLS_HUES = (0, 60, 120, 30)


def make_cls(root, rng, n_train=48, n_val=16, size=64):
    """ImageNet-style folders plus ``meta/{train,val}.txt`` ann files."""
    os.makedirs(osp.join(root, 'meta'))
    for split, n in (('train', n_train), ('val', n_val)):
        lines = []
        for label, kind in enumerate(CLS_CLASSES):
            os.makedirs(osp.join(root, split, kind))
            for i in range(n):
                img = _background(rng, size, size)
                r = rng.uniform(0.22, 0.36) * size
                cx, cy = rng.uniform(r + 2, size - r - 2, size=2)
                pts = _shape_polygon(kind, cx, cy, r, rng.uniform(0, np.pi))
                _fill(img, pts, _bright_colour(rng, CLS_HUES[label]))
                name = f'{kind}/{split}_{kind}_{i:04d}.png'
                _imwrite(osp.join(root, split, name), img)
                lines.append(f'{name} {label}')
        order = rng.permutation(len(lines))
        with open(osp.join(root, 'meta', f'{split}.txt'), 'w') as f:
            f.write('\n'.join(lines[i] for i in order) + '\n')
    with open(osp.join(root, 'classes.txt'), 'w') as f:
        f.write('\n'.join(CLS_CLASSES) + '\n')


# -------------------------------------------------------- instance segm.
DET_CLASSES = ('circle', 'square', 'triangle')
DET_HUES = (0, 60, 120)  # colour families, as for classification


def _place(rng, boxes, size, r, tries=50):
    """A centre for a shape of radius r that does not overlap ``boxes``."""
    for _ in range(tries):
        cx, cy = rng.uniform(r + 2, size - r - 2, size=2)
        box = (cx - r, cy - r, cx + r, cy + r)
        if all(box[0] > b[2] + 2 or box[2] < b[0] - 2 or box[1] > b[3] +
               2 or box[3] < b[1] - 2 for b in boxes):
            return cx, cy, box
    return None


def _write_coco(root, rng, splits, size, categories, ann_prefix, file_name,
                draw):
    """COCO layout shared by det and pose: ``<split>/*.jpg`` and
    ``annotations/<ann_prefix>_<split>.json``.

    For every image, ``draw(img, rng)`` paints on a fresh background and
    returns its annotations (without ``id`` / ``image_id``, which are
    numbered here); ``file_name`` formats the image id.
    """
    os.makedirs(osp.join(root, 'annotations'))
    ann_id = 1
    for split, n in splits:
        os.makedirs(osp.join(root, split))
        images, anns = [], []
        for img_id in range(1, n + 1):
            img = _background(rng, size, size)
            for ann in draw(img, rng):
                anns.append(dict(id=ann_id, image_id=img_id, **ann))
                ann_id += 1
            name = file_name.format(img_id)
            _imwrite(osp.join(root, split, name), img)
            images.append(
                dict(id=img_id, file_name=name, height=size, width=size))
        _write_json(
            osp.join(root, 'annotations', f'{ann_prefix}_{split}.json'),
            dict(images=images, annotations=anns, categories=categories))


def make_det(root, rng, n_train=96, n_val=24, size=128):
    """COCO instance segmentation (boxes + polygons) of coloured shapes."""
    categories = [
        dict(id=i + 1, name=n, supercategory='shape')
        for i, n in enumerate(DET_CLASSES)
    ]

    def draw(img, rng):
        anns, boxes = [], []
        for _ in range(int(rng.integers(1, 4))):
            r = rng.uniform(0.12, 0.24) * size
            spot = _place(rng, boxes, size, r)
            if spot is None:
                continue
            cx, cy, box = spot
            boxes.append(box)
            cat = int(rng.integers(len(DET_CLASSES)))
            pts = _shape_polygon(DET_CLASSES[cat], cx, cy, r,
                                 rng.uniform(0, np.pi))
            pts = np.clip(pts, 0, size - 1)
            _fill(img, pts, _bright_colour(rng, DET_HUES[cat]))
            x0, y0 = pts.min(0)
            x1, y1 = pts.max(0)
            anns.append(
                dict(
                    category_id=cat + 1,
                    bbox=[
                        round(float(x0), 2),
                        round(float(y0), 2),
                        round(float(x1 - x0), 2),
                        round(float(y1 - y0), 2)
                    ],
                    area=round(
                        float(cv2.contourArea(pts.astype(np.float32))), 2),
                    segmentation=[[round(float(v), 2)
                                   for v in pts.reshape(-1)]],
                    iscrowd=0))
        return anns

    _write_coco(root, rng, (('train2017', n_train), ('val2017', n_val)),
                size, categories, 'instances', '{:06d}.jpg', draw)


# ------------------------------------------------------ semantic segm.
# ADE20K's first five classes; label value = index + 1, 0 = "other".
SEG_CLASSES = ('wall', 'building', 'sky', 'floor', 'tree')


def _textured(rng, h, w, colour, amp=12):
    return np.clip(
        np.array(colour, float) + rng.normal(0, amp, (h, w, 3)), 0,
        255).astype(np.uint8)


def make_seg(root, rng, n_train=96, n_val=24, size=128):
    """ADE20K layout: jpg images + png label maps (0 = other/ignored)."""
    wall, building, sky, floor, tree = range(1, 6)
    for split, n in (('training', n_train), ('validation', n_val)):
        os.makedirs(osp.join(root, 'images', split))
        os.makedirs(osp.join(root, 'annotations', split))
        for i in range(n):
            h = w = size
            img = np.zeros((h, w, 3), np.uint8)
            lab = np.zeros((h, w), np.uint8)
            horizon = int(rng.uniform(0.4, 0.65) * h)
            # sky (blue, lighter at the top) and floor (brown)
            sky_c = rng.integers([190, 120, 60], [250, 180, 120])
            sky_img = _textured(rng, horizon, w, sky_c, 6).astype(float)
            sky_img += np.linspace(25, 0, horizon)[:, None, None]
            img[:horizon] = np.clip(sky_img, 0, 255).astype(np.uint8)
            lab[:horizon] = sky
            flo_c = rng.integers([40, 70, 100], [80, 110, 150])
            img[horizon:] = _textured(rng, h - horizon, w, flo_c, 10)
            lab[horizon:] = floor
            # buildings: grey blocks standing on the horizon
            for _ in range(int(rng.integers(1, 4))):
                bw = int(rng.uniform(0.12, 0.3) * w)
                bh = int(rng.uniform(0.2, 0.8) * horizon)
                x0 = int(rng.integers(0, w - bw))
                g = int(rng.integers(110, 170))
                img[horizon - bh:horizon,
                    x0:x0 + bw] = _textured(rng, bh, bw, (g, g, g), 5)
                for wy in range(horizon - bh + 3, horizon - 3, 7):
                    for wx in range(x0 + 3, x0 + bw - 3, 7):
                        img[wy:wy + 3, wx:wx + 3] = (60, 60, 40)
                lab[horizon - bh:horizon, x0:x0 + bw] = building
            # a wall (beige, smooth) on one side in half the scenes
            if rng.random() < 0.6:
                ww = int(rng.uniform(0.15, 0.35) * w)
                x0 = 0 if rng.random() < 0.5 else w - ww
                y1 = min(h, horizon + int(rng.integers(5, 30)))
                img[:y1, x0:x0 + ww] = _textured(rng, y1, ww, (150, 200, 225),
                                                 3)
                lab[:y1, x0:x0 + ww] = wall
            # trees: green blobs
            for _ in range(int(rng.integers(1, 4))):
                cx = int(rng.integers(8, w - 8))
                cy = int(rng.integers(horizon - 30, horizon + 5))
                ax = int(rng.integers(6, 16))
                ay = int(rng.integers(8, 22))
                m = np.zeros((h, w), np.uint8)
                cv2.ellipse(m, (cx, cy), (ax, ay), 0, 0, 360, 1, -1)
                tex = _textured(rng, h, w,
                                rng.integers([20, 100, 20], [60, 160, 60]), 15)
                img[m > 0] = tex[m > 0]
                lab[m > 0] = tree
            # "other" clutter: magenta blobs, label 0 (ignored when reduced)
            for _ in range(int(rng.integers(0, 3))):
                cx, cy = (int(v) for v in rng.integers(4, w - 4, size=2))
                rad = int(rng.integers(2, 6))
                cv2.circle(img, (cx, cy), rad, (200, 40, 200), -1)
                cv2.circle(lab, (cx, cy), rad, 0, -1)
            name = f'ADE_{split}_{i:08d}'
            _imwrite(osp.join(root, 'images', split, name + '.jpg'), img)
            _imwrite(osp.join(root, 'annotations', split, name + '.png'), lab)
    with open(osp.join(root, 'classes.txt'), 'w') as f:
        f.write('\n'.join(SEG_CLASSES) + '\n')


# -------------------------------------------------------------------- pose
COCO_KEYPOINTS = ('nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear',
                  'left_shoulder', 'right_shoulder', 'left_elbow',
                  'right_elbow', 'left_wrist', 'right_wrist', 'left_hip',
                  'right_hip', 'left_knee', 'right_knee', 'left_ankle',
                  'right_ankle')
COCO_SKELETON = [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12],
                 [7, 13], [6, 7], [6, 8], [7, 9], [8, 10], [9, 11], [2, 3],
                 [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]]
_LIMBS = ((5, 7), (7, 9), (6, 8), (8, 10), (11, 13), (13, 15), (12, 14),
          (14, 16), (5, 6), (11, 12), (5, 11), (6, 12))


def _figure(rng, cx, top, height):
    """17 COCO keypoints (x, y, v) of a stick figure facing the camera."""
    kp = np.zeros((17, 3))
    u = height / 8.0  # body unit: head radius ~ 0.5u
    s = rng.uniform(0.8, 1.2)  # shoulder half width
    neck = np.array([cx + rng.normal(0, 0.2 * u), top + 1.6 * u])
    kp[0, :2] = (cx, top + 0.6 * u)  # nose at the head centre
    kp[5, :2] = neck + (s * u, 0)  # person's left = image right
    kp[6, :2] = neck - (s * u, 0)
    pelvis = neck + (rng.normal(0, 0.3 * u), 2.8 * u)
    kp[11, :2] = pelvis + (0.6 * u, 0)
    kp[12, :2] = pelvis - (0.6 * u, 0)

    def chain(start, a0, a1, length):
        p1 = start + length * np.array([np.sin(a0), np.cos(a0)])
        p2 = p1 + length * np.array([np.sin(a1), np.cos(a1)])
        return p1, p2

    for side, (sh, el, wr, hp, kn, an) in ((1, (5, 7, 9, 11, 13, 15)),
                                           (-1, (6, 8, 10, 12, 14, 16))):
        a0 = side * rng.uniform(0.2, 2.4)  # arms: from down to raised
        kp[el, :2], kp[wr, :2] = chain(kp[sh, :2], a0,
                                       a0 + side * rng.uniform(-0.6, 0.9),
                                       1.3 * u)
        l0 = side * rng.uniform(0.05, 0.6)  # legs: spread, knee bend
        kp[kn, :2], kp[an, :2] = chain(kp[hp, :2], l0,
                                       l0 + rng.uniform(-0.5, 0.5), 1.7 * u)
    kp[[0] + list(range(5, 17)), 2] = 2  # eyes and ears stay unlabelled
    return kp, u


def make_pose(root, rng, n_train=128, n_val=32, size=160):
    """COCO keypoints: one or two stick figures per image."""
    categories = [
        dict(
            id=1,
            name='person',
            supercategory='person',
            keypoints=list(COCO_KEYPOINTS),
            skeleton=COCO_SKELETON)
    ]

    def draw(img, rng):
        anns = []
        n_fig = 1 if rng.random() < 0.6 else 2
        slots = [size / 2] if n_fig == 1 else [size * 0.28, size * 0.72]
        for slot in slots:
            height = rng.uniform(0.55, 0.85) * size / (1 + 0.3 * (n_fig - 1))
            cx = slot + rng.normal(0, 4)
            top = rng.uniform(4, size - height - 4)
            kp, u = _figure(rng, cx, top, height)
            colour = _bright_colour(rng)
            thick = max(2, int(round(u * 0.35)))
            for a, b in _LIMBS:
                cv2.line(img, tuple(np.round(kp[a, :2]).astype(int)),
                         tuple(np.round(kp[b, :2]).astype(int)), colour,
                         thick, cv2.LINE_AA)
            cv2.circle(img, tuple(np.round(kp[0, :2]).astype(int)),
                       int(round(0.55 * u)), colour, -1, cv2.LINE_AA)
            for j in range(5, 17):
                cv2.circle(img, tuple(np.round(kp[j, :2]).astype(int)),
                           thick, (255, 255, 255), -1, cv2.LINE_AA)
            vis = kp[:, 2] > 0
            x0, y0 = kp[vis, :2].min(0) - 0.7 * u
            x1, y1 = kp[vis, :2].max(0) + 0.7 * u
            x0, y0 = max(0.0, x0), max(0.0, y0)
            x1, y1 = min(size - 1.0, x1), min(size - 1.0, y1)
            kp[:, :2] = np.clip(kp[:, :2], 0, size - 1)
            kp[~vis, :2] = 0
            anns.append(
                dict(
                    category_id=1,
                    iscrowd=0,
                    bbox=[
                        round(float(v), 2) for v in (x0, y0, x1 - x0, y1 - y0)
                    ],
                    area=round(float((x1 - x0) * (y1 - y0) * 0.6), 2),
                    num_keypoints=int(vis.sum()),
                    keypoints=[
                        round(float(v), 2) if k % 3 != 2 else int(v)
                        for k, v in enumerate(kp.reshape(-1))
                    ]))
        return anns

    _write_coco(root, rng, (('train2017', n_train), ('val2017', n_val)),
                size, categories, 'person_keypoints', '{:012d}.jpg', draw)


# ------------------------------------------------------------------ action
ACTION_CLASSES = ('moving_down', 'moving_up', 'growing', 'shrinking')
_ACTION_HUES = (0, 60, 110, 25)  # red, green, blue, orange (OpenCV hue)


def _write_video(path, frames, fps=8):
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                             (w, h))
    if not writer.isOpened():
        raise OSError(f'OpenCV cannot write mp4 videos ({path})')
    for frame in frames:
        writer.write(frame)
    writer.release()


def make_action(root, rng, n_train=24, n_val=8, size=64, num_frames=32):
    """Kinetics-style list files + mp4 clips; class = motion + colour."""
    for split, n in (('train', n_train), ('val', n_val)):
        vid_dir = osp.join(root, f'videos_{split}')
        os.makedirs(vid_dir)
        lines = []
        for label, action in enumerate(ACTION_CLASSES):
            for i in range(n):
                bg = _background(rng, size, size)
                hue = (_ACTION_HUES[label] + int(rng.integers(-8, 9))) % 180
                colour = tuple(
                    int(c) for c in cv2.cvtColor(
                        np.uint8([[[hue, 220, 230]]]), cv2.COLOR_HSV2BGR)[0,
                                                                          0])
                cx = rng.uniform(0.3, 0.7) * size
                cy = rng.uniform(0.3, 0.7) * size
                r0 = rng.uniform(0.08, 0.14) * size
                speed = rng.uniform(0.5, 0.9) * size / num_frames
                # a static distractor of a random colour
                dx, dy = rng.uniform(0.1, 0.9, size=2) * size
                d_colour = _bright_colour(rng)
                frames = []
                for t in range(num_frames):
                    f = bg.copy()
                    cv2.circle(f, (int(dx), int(dy)), int(size * 0.06),
                               d_colour, -1)
                    tt = t - num_frames / 2
                    x, y, r = cx, cy, r0
                    if action == 'moving_down':
                        y = cy + speed * tt
                    elif action == 'moving_up':
                        y = cy - speed * tt
                    elif action == 'growing':
                        r = r0 * (1 + 1.5 * t / num_frames)
                    else:
                        r = r0 * (2.5 - 1.5 * t / num_frames)
                    y = (y - r) % (size - 2 * r) + r  # wrap around
                    p0 = (int(x - r), int(y - r))
                    p1 = (int(x + r), int(y + r))
                    cv2.rectangle(f, p0, p1, colour, -1)
                    frames.append(f)
                name = f'{action}_{split}_{i:04d}.mp4'
                _write_video(osp.join(vid_dir, name), frames)
                lines.append(f'{name} {label}')
        order = rng.permutation(len(lines))
        with open(osp.join(root, f'{split}_list_videos.txt'), 'w') as f:
            f.write('\n'.join(lines[i] for i in order) + '\n')
    with open(osp.join(root, 'classes.txt'), 'w') as f:
        f.write('\n'.join(ACTION_CLASSES) + '\n')


MAKERS = dict(
    cls=make_cls,
    det=make_det,
    seg=make_seg,
    pose=make_pose,
    action=make_action)


def _stamp(seed):
    return f'version={DATA_VERSION} seed={seed}\n'


def is_complete(out, task, seed=0):
    """Whether ``out/<task>`` holds a finished set of this version + seed."""
    path = osp.join(out, task, DONE_FILE)
    if not osp.isfile(path):
        return False
    with open(path) as f:
        return f.read() == _stamp(seed)


def make_task(out, task, seed=0, force=False):
    """Write one task's set into ``out/<task>``; return True if written."""
    final = osp.join(out, task)
    if is_complete(out, task, seed) and not force:
        return False
    os.makedirs(out, exist_ok=True)
    tmp = osp.join(out, f'.{task}.tmp-{os.getpid()}')
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    try:
        # One generator per task: a task's data does not depend on which
        # other tasks were generated in the same run.
        rng = np.random.default_rng([seed, TASKS.index(task)])
        cv2.setRNGSeed(seed)
        MAKERS[task](tmp, rng)
        with open(osp.join(tmp, DONE_FILE), 'w') as f:
            f.write(_stamp(seed))
        if osp.lexists(final):
            shutil.rmtree(final)
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return True


def data_options(task, data_root):
    """``--cfg-options`` that point the demo config of ``task``
    (``configs/demo/<task>_demo.py``, which reads ``data/demo/<task>``) at
    the set in ``data_root/<task>``."""
    root = osp.join(data_root, task)
    if task in ('cls', 'seg'):
        return [
            f'{p}_dataloader.dataset.data_root={root}'
            for p in ('train', 'val', 'test')
        ]
    if task in ('det', 'pose'):
        ann = ('annotations/instances_val2017.json' if task == 'det' else
               'annotations/person_keypoints_val2017.json')
        return [
            f'{p}_dataloader.dataset.data_root={root}/'
            for p in ('train', 'val', 'test')
        ] + [f'{p}_evaluator.ann_file={root}/{ann}' for p in ('val', 'test')]
    opts = []  # action: list files and video folders
    for p, split in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        opts += [
            f'{p}_dataloader.dataset.ann_file={root}/{split}_list_videos.txt',
            f'{p}_dataloader.dataset.data_prefix.video={root}/videos_{split}'
        ]
    return opts
