"""tools/train.py and tools/test.py: the command line merged into the
config, as the toolboxes' own scripts do it (the runs themselves are in
test_e2e.py). The scripts are loaded from their files (``runpy``), not
imported through ``sys.path``."""
import os.path as osp
import runpy
from argparse import Namespace

import pytest
from helpers import TOOLS, demo_config, load

from uniformer_mm.utils.errors import FixableError

TRAIN = runpy.run_path(osp.join(TOOLS, 'train.py'), run_name='train_tool')
TEST = runpy.run_path(osp.join(TOOLS, 'test.py'), run_name='test_tool')


def train_args(**kw):
    base = dict(
        config='configs/demo/seg_demo.py',
        work_dir=None,
        resume=None,
        amp=False,
        auto_scale_lr=False,
        no_validate=False,
        launcher='none')
    base.update(kw)
    return Namespace(**base)


def test_train_merge_args():
    merge = TRAIN['merge_args']
    cfg = merge(load('configs/demo/seg_demo.py'), train_args())
    assert cfg.work_dir == osp.join('./work_dirs', 'seg_demo')
    assert not cfg.resume and cfg.launcher == 'none'
    cfg = merge(load('configs/demo/seg_demo.py'), train_args(resume='auto'))
    assert cfg.resume and cfg.load_from is None
    cfg = merge(load('configs/demo/seg_demo.py'), train_args(resume='x.pth'))
    assert cfg.resume and cfg.load_from == 'x.pth'
    cfg = merge(load('configs/demo/seg_demo.py'),
                train_args(auto_scale_lr=True))
    assert cfg.auto_scale_lr.enable
    cfg = load('configs/demo/seg_demo.py')
    cfg.auto_scale_lr = None
    with pytest.raises(FixableError, match='base_batch_size'):
        merge(cfg, train_args(auto_scale_lr=True))
    cfg = merge(load('configs/demo/seg_demo.py'),
                train_args(no_validate=True))
    assert cfg.val_cfg is None and cfg.val_dataloader is None


def test_train_amp_is_the_toolboxes_amp():
    """--amp sets AmpOptimWrapper, as mmpretrain's --amp: nothing else, on
    any machine (without a GPU the Runner applies the config's cpu_amp)."""
    merge = TRAIN['merge_args']
    cfg = merge(load('configs/demo/det_demo.py'), train_args(amp=True))
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'
    assert not any('Autocast' in str(h) for h in cfg.get('custom_hooks', []))
    ds = load('configs/cls/uniformer_l_tl_300e_in1k_deepspeed.py')
    with pytest.raises(FixableError, match='DeepSpeedOptimWrapper'):
        merge(ds, train_args(amp=True))


@pytest.mark.parametrize('task, keys', [
    ('det', ('draw', 'test_out_dir')),
    ('seg', ('draw', )),
    ('cls', ('enable', 'out_dir')),
    ('action', ('enable', 'out_dir')),
])
def test_test_show_dir(task, keys, tmp_path):
    cfg = load(f'configs/demo/{task}_demo.py')
    TEST['enable_visualization'](cfg, str(tmp_path), 2)
    hook = cfg.default_hooks.visualization
    assert hook.interval == 2 and all(hook[k] for k in keys)
    if task == 'seg':
        assert cfg.visualizer.save_dir == str(tmp_path)


def test_test_out():
    cfg = load('configs/demo/det_demo.py')
    TEST['add_dump'](cfg, 'out.pkl')
    evaluators = cfg.test_evaluator
    assert dict(type='DumpDetResults', out_file_path='out.pkl') in evaluators
    with pytest.raises(FixableError, match='.pkl or .pickle'):
        TEST['add_dump'](load('configs/demo/cls_demo.py'), 'out.json')
    cfg = load('configs/demo/seg_demo.py')
    TEST['add_dump'](cfg, 'maps')
    assert cfg.test_evaluator.output_dir == 'maps'


def test_cli_parses_like_the_toolboxes():
    args = TRAIN['parse_args']([demo_config('cls'), '--resume', '--amp'])
    assert args.resume == 'auto' and args.amp
    args = TEST['parse_args']([demo_config('cls'), 'x.pth', '--out', 'o.pkl'])
    assert args.checkpoint == 'x.pth' and args.launcher == 'none'
