"""README "Test-time augmentation, analysis and features", on the demo run.

``tools/test.py --tta`` (and ``mim test ... --tta``) on the demo
checkpoints, the toolboxes' own analysis tools through ``mim run``
(``analyze_logs``, ``confusion_matrix``), each writing its picture or
file, and ``(N, C)`` embeddings: images from the trained demo classifier
through mmpretrain's ``FeatureExtractor``, videos from the demo recognizer
through mmaction2's ``clip_feature_extraction``.
"""
import glob
import os
import os.path as osp
import re

import numpy as np
import pytest
from helpers import PY, TOOLS, demo_config, run

MIM = osp.join(osp.dirname(PY), 'mim')


def _metric(out, key):
    """The last ``key: value`` the test loop logged."""
    values = re.findall(re.escape(key) + r': ([0-9.]+)', out)
    assert values, out[-3000:]
    return float(values[-1])


def _test(task, ckpt, demo_dir, *extra):
    return run([
        PY,
        osp.join(TOOLS, 'test.py'),
        demo_config(task), ckpt, '--work-dir',
        osp.join(demo_dir, 'work_dirs', f'{task}_tta'), *extra
    ], demo_dir)


@pytest.mark.slow
@pytest.mark.parametrize('task, key', [('cls', 'accuracy/top1'),
                                       ('seg', 'mIoU')])
def test_tta_reports_the_metric(demo_dir, trained, task, key):
    _, ckpt = trained(task)
    code, out = _test(task, ckpt, demo_dir, '--tta')
    assert code == 0, out[-3000:]
    value = _metric(out, key)
    assert 0 <= value <= 100
    # the wrapped model ran: AverageClsScoreTTA / SegTTAModel in the log
    assert ('AverageClsScoreTTA' if task == 'cls' else 'SegTTAModel') in out


@pytest.mark.slow
def test_mim_test_tta_cls(demo_dir, trained):
    """mmpretrain's own test script: the same metric as tools/test.py."""
    _, ckpt = trained('cls')
    metrics = []
    for command in (
        [PY, osp.join(TOOLS, 'test.py'), demo_config('cls'), ckpt],
        [MIM, 'test', 'mmpretrain', demo_config('cls'), '--checkpoint', ckpt],
    ):
        code, out = run([
            *command, '--tta', '--work-dir',
            osp.join(demo_dir, 'work_dirs', 'cls_mim_tta')
        ], demo_dir)
        assert code == 0, out[-3000:]
        metrics.append(_metric(out, 'accuracy/top1'))
    assert metrics[0] == metrics[1]


@pytest.mark.parametrize('task, message', [
    ('det', "mmdet's DetTTAModel merges boxes only and does not support "
     'instance masks'),
    ('pose', 'the config defines no tta_model and no tta_pipeline'),
])
def test_tta_errors_name_the_fix(demo_dir, task, message):
    code, out = _test(task, 'none.pth', demo_dir, '--tta')
    assert code == 2, out[-3000:]
    assert message in out and 'Traceback' not in out, out[-3000:]


@pytest.mark.slow
def test_analyze_logs_draws_the_loss_curve(demo_dir, trained):
    work_dir, _ = trained('cls')
    (scalars, ) = glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json'))
    png = osp.join(demo_dir, 'analysis', 'loss.png')
    os.makedirs(osp.dirname(png), exist_ok=True)  # the tool does not
    code, out = run([
        MIM, 'run', 'mmpretrain', 'analyze_logs', 'plot_curve', scalars,
        '--keys', 'loss', 'lr', '--out', png
    ], demo_dir)
    assert code == 0, out[-3000:]
    assert osp.getsize(png) > 1000


@pytest.mark.slow
@pytest.mark.parametrize('task, toolbox', [('cls', 'mmpretrain'),
                                           ('action', 'mmaction2')])
def test_confusion_matrix(demo_dir, trained, task, toolbox):
    _, ckpt = trained(task)
    out_dir = osp.join(demo_dir, 'analysis', task)
    code, out = run([
        MIM, 'run', toolbox, 'confusion_matrix',
        demo_config(task), ckpt, '--out',
        osp.join(out_dir, 'cm.pkl'), '--show-path',
        osp.join(out_dir, 'cm.png'), '--include-values'
    ], demo_dir)
    assert code == 0, out[-3000:]
    import mmengine
    matrix = mmengine.load(osp.join(out_dir, 'cm.pkl'))  # our own output
    assert tuple(matrix.shape) == (4, 4)
    assert int(matrix.sum()) > 0
    assert osp.getsize(osp.join(out_dir, 'cm.png')) > 1000


@pytest.mark.slow
def test_image_embeddings(demo_dir, trained, tmp_path):
    """(N, C) embeddings of the demo val images from the trained demo
    classifier (README snippet: mmpretrain's FeatureExtractor)."""
    from mmpretrain import FeatureExtractor
    _, ckpt = trained('cls')
    root = osp.join(demo_dir, 'data', 'demo', 'cls')
    with open(osp.join(root, 'meta', 'val.txt')) as f:
        images = [osp.join(root, 'val', line.split()[0]) for line in f]
    extractor = FeatureExtractor(demo_config('cls'), pretrained=ckpt)
    feats = extractor(images, stage='neck', batch_size=16)
    embeddings = np.stack([f[0].numpy() for f in feats])
    np.save(tmp_path / 'embeddings.npy', embeddings)
    width = 96  # the demo backbone's last width (embed_dims[-1])
    assert embeddings.shape == (len(images), width)
    assert np.isfinite(embeddings).all()
    # different images, different embeddings
    assert len(np.unique(embeddings.round(5), axis=0)) == len(images)


@pytest.mark.slow
def test_video_embeddings(demo_dir, trained, tmp_path):
    """(N, C) clip embeddings of the demo val videos from the trained demo
    recognizer (README: mmaction2's clip_feature_extraction, its
    FeatureHead averaging the backbone map over T, H, W), one file each."""
    import mmengine
    _, ckpt = trained('action')
    out_dir = str(tmp_path / 'clip_feats')
    code, out = run([
        MIM, 'run', 'mmaction2', 'clip_feature_extraction',
        demo_config('action'), ckpt, out_dir
    ], demo_dir)
    assert code == 0, out[-3000:]
    with open(osp.join(demo_dir, 'data', 'demo', 'action',
                       'val_list_videos.txt')) as f:
        videos = [line.split()[0] for line in f if line.strip()]
    embeddings = np.stack([
        mmengine.load(osp.join(out_dir, f'{name}.pkl')).numpy()  # ours
        for name in videos
    ])
    assert embeddings.shape == (len(videos), 96)  # the demo's last width
    assert np.isfinite(embeddings).all()
    assert len(np.unique(embeddings.round(5), axis=0)) == len(videos)
