"""Fast checks of tools/ (the end-to-end runs are in test_e2e.py)."""
import hashlib
import json
import os
import os.path as osp
import sys
from argparse import Namespace

import numpy as np
import pytest
import torch
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOOLS = osp.join(REPO, 'tools')
# appended, so that tools/test.py never shadows the standard library 'test'
sys.path.append(TOOLS)
sys.path.append(osp.join(TOOLS, 'dataset_converters'))

import make_demo_data  # noqa: E402
import run_demo  # noqa: E402
import tool_utils  # noqa: E402
import train as train_tool  # noqa: E402

PAPER = {
    'cls': 'configs/cls/uniformer_s_300e_in1k.py',
    'det': 'configs/det/mask_rcnn_uniformer_s_1x.py',
    'seg': 'configs/seg/fpn_uniformer_s_80k_ade20k.py',
    'pose': 'configs/pose/topdown_heatmap_uniformer_s_210e_coco_256x192.py',
    'action': 'configs/action/uniformer_s_8x8_k400.py',
}
SCOPE = {
    'cls': 'mmpretrain',
    'det': 'mmdet',
    'seg': 'mmseg',
    'pose': 'mmpose',
    'action': 'mmaction'
}


def demo_cfg(task):
    return Config.fromfile(
        osp.join(REPO, 'configs', 'demo', f'{task}_demo.py'))


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
    make_demo_data.main(['--out', out])
    return out


# ------------------------------------------------------------ demo data


def test_demo_data_is_deterministic(data, tmp_path):
    for task in ('cls', 'det', 'seg'):  # the cheap ones
        assert make_demo_data.make_task(str(tmp_path), task)
        assert digest(osp.join(data,
                               task)) == digest(osp.join(tmp_path, task)), task
    # an existing set is kept unless forced
    assert not make_demo_data.make_task(str(tmp_path), 'cls')
    assert make_demo_data.make_task(str(tmp_path), 'cls', force=True)
    assert not [p for p in os.listdir(tmp_path) if p.startswith('.')]


def test_cls_layout(data):
    root = osp.join(data, 'cls')
    for split in ('train', 'val'):
        with open(osp.join(root, 'meta', f'{split}.txt')) as f:
            lines = f.read().split()
        files, labels = lines[0::2], [int(x) for x in lines[1::2]]
        assert set(labels) == set(range(len(make_demo_data.CLS_CLASSES)))
        for name, label in zip(files, labels):
            assert name.split('/')[0] == make_demo_data.CLS_CLASSES[label]
            assert osp.isfile(osp.join(root, split, name))


def test_coco_instances(data):
    from pycocotools.coco import COCO
    root = osp.join(data, 'det')
    for split in ('train2017', 'val2017'):
        coco = COCO(osp.join(root, 'annotations', f'instances_{split}.json'))
        assert [c['name'] for c in coco.loadCats(coco.getCatIds())
                ] == list(make_demo_data.DET_CLASSES)
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


# ---------------------------------------------------------- demo configs


@pytest.mark.parametrize('task', make_demo_data.TASKS)
def test_demo_config_inherits_paper_config(task):
    cfg = demo_cfg(task)
    paper = Config.fromfile(osp.join(REPO, PAPER[task]))
    assert cfg.default_scope == paper.default_scope == SCOPE[task]
    backbone = cfg.model.backbone
    assert backbone.type == 'uniformer_mm.UniFormer'
    assert backbone.arch['embed_dims'] == [16, 32, 64, 96]
    # not overridden: model type, optimizer, backbone knobs of the paper
    assert cfg.model.type == paper.model.type
    assert (
        cfg.optim_wrapper.optimizer.type == paper.optim_wrapper.optimizer.type)
    for key in ('video', 'out_indices', 'out_norm', 'attn_modes'):
        assert backbone[key] == paper.model.backbone[key], key
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[loader].num_workers == 0
        assert not cfg[loader].get('persistent_workers', False)
    assert cfg.get('load_from') is None


@pytest.mark.parametrize('task', make_demo_data.TASKS)
def test_demo_config_builds(task):
    from mmengine.registry import MODELS, init_default_scope

    import uniformer_mm  # noqa: F401
    cfg = demo_cfg(task)
    init_default_scope(cfg.default_scope)
    if task == 'action':
        import mmaction.models  # noqa: F401  (registers into its scope)
    model = MODELS.build(cfg.model)
    n = sum(p.numel() for p in model.parameters())
    assert n < 3e6, f'the demo model is not tiny: {n} parameters'


@pytest.mark.parametrize('task', make_demo_data.TASKS)
def test_run_demo_data_options(task, tmp_path):
    cfg = demo_cfg(task)
    options = {}
    for opt in run_demo.data_options(task, str(tmp_path)):
        key, value = opt.split('=', 1)
        options[key] = value
    cfg.merge_from_dict(options)
    paths = []
    for phase in ('train', 'val', 'test'):
        paths += [
            p for _, p in tool_utils._dataset_paths(
                cfg[f'{phase}_dataloader'].dataset, phase)
        ]
        paths += [
            p for _, p in tool_utils._evaluator_paths(
                cfg.get(f'{phase}_evaluator'), phase)
        ]
    assert paths and all(p.startswith(str(tmp_path)) for p in paths), paths


# ------------------------------------------------------------ tool_utils


def test_load_config_missing_file(tmp_path):
    with pytest.raises(SystemExit, match='does not exist'):
        tool_utils.load_config(str(tmp_path / 'nope.py'))


def test_check_data_names_the_key(tmp_path):
    cfg = Config(
        dict(
            train_dataloader=dict(
                dataset=dict(
                    type='RepeatDataset',
                    times=2,
                    dataset=dict(
                        data_root=str(tmp_path / 'missing'),
                        ann_file='a.json',
                        data_prefix=dict(img='imgs/'))))))
    with pytest.raises(SystemExit) as e:
        tool_utils.check_data(cfg, ['train'])
    msg = str(e.value)
    assert 'train_dataloader.dataset.dataset.data_root' in msg
    assert 'a.json' not in msg  # a missing root is reported once
    os.makedirs(tmp_path / 'missing' / 'imgs')
    with pytest.raises(SystemExit, match='ann_file'):
        tool_utils.check_data(cfg, ['train'])
    (tmp_path / 'missing' / 'a.json').write_text('{}')
    tool_utils.check_data(cfg, ['train'])


def test_replace_sync_bn():
    cfg = dict(
        a=dict(norm_cfg=dict(type='SyncBN', requires_grad=True)),
        b=[dict(type='MMSyncBN'), dict(type='BN')])
    assert tool_utils._replace_sync_bn(cfg) == 2
    assert cfg['a']['norm_cfg']['type'] == cfg['b'][0]['type'] == 'BN'


def test_check_checkpoint(tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
    good = tmp_path / 'good.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict(iter=1)), good)
    tool_utils.check_checkpoint(model, str(good))
    other = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.BatchNorm1d(5))
    bad = tmp_path / 'bad.pth'
    torch.save(dict(state_dict=other.state_dict()), bad)
    with pytest.raises(SystemExit, match='another shape'):
        tool_utils.check_checkpoint(model, str(bad))
    partial = tmp_path / 'partial.pth'
    torch.save({'0.weight': model[0].weight}, partial)
    with pytest.raises(SystemExit, match='missing'):
        tool_utils.check_checkpoint(model, str(partial))
    with pytest.raises(SystemExit, match='does not exist'):
        tool_utils.check_checkpoint(model, str(tmp_path / 'none.pth'))


def test_atomic_checkpoint_writes(tmp_path):
    """The demo configs (and the paper configs they inherit) save through
    the atomic backend: a write that fails leaves no partial file."""
    from mmengine.fileio import get_file_backend
    for task in ('cls', 'det', 'seg', 'pose', 'action'):
        args = demo_cfg(task).default_hooks.checkpoint.backend_args
        assert args == dict(backend='uniformer_mm_atomic_local'), task
    backend = get_file_backend(str(tmp_path), backend_args=dict(args))
    target = tmp_path / 'epoch_1.pth'
    backend.put(b'complete', str(target))
    assert target.read_bytes() == b'complete'

    with pytest.raises(TypeError):  # fails while writing
        backend.put(object(), str(tmp_path / 'epoch_2.pth'))
    assert sorted(os.listdir(tmp_path)) == ['epoch_1.pth']


def test_train_merge_args(tmp_path):

    def args(**kw):
        base = dict(
            config='configs/demo/seg_demo.py',
            work_dir=None,
            resume=None,
            amp=False,
            auto_scale_lr=False,
            no_validate=False)
        base.update(kw)
        return Namespace(**base)

    cfg = train_tool.merge_args(demo_cfg('seg'), args())
    assert cfg.work_dir == osp.join('./work_dirs', 'seg_demo')
    assert not cfg.resume
    cfg = train_tool.merge_args(demo_cfg('seg'), args(resume='auto'))
    assert cfg.resume and cfg.load_from is None
    cfg = train_tool.merge_args(demo_cfg('seg'), args(resume='x.pth'))
    assert cfg.resume and cfg.load_from == 'x.pth'
    cfg = train_tool.merge_args(demo_cfg('seg'), args(auto_scale_lr=True))
    assert cfg.auto_scale_lr.enable
    cfg = demo_cfg('seg')
    cfg.auto_scale_lr = None
    with pytest.raises(SystemExit, match='base_batch_size'):
        train_tool.merge_args(cfg, args(auto_scale_lr=True))
    cfg = train_tool.merge_args(demo_cfg('seg'), args(no_validate=True))
    assert cfg.val_cfg is None and cfg.val_dataloader is None
    # --amp without a GPU: the config-level backbone autocast hook
    cfg = train_tool.merge_args(demo_cfg('det'), args(amp=True))
    assert dict(type='uniformer_mm.BackboneAutocastHook') in cfg.custom_hooks
    flexible = demo_cfg('det')
    flexible.runner_type = 'FlexibleRunner'
    with pytest.raises(SystemExit, match='not available with the Flexible'):
        train_tool.merge_args(flexible, args(amp=True))
