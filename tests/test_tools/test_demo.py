"""The demo (``bash tools/demo.sh``): its configs and its data command,
``tools/dataset_converters/make_demo_data.py``."""
import os.path as osp

import pytest
from helpers import PY, TASKS, TOOLS, load, run

from uniformer_mm.utils.demo_data import is_complete

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


@pytest.mark.parametrize('task', TASKS)
def test_demo_config_inherits_paper_config(task):
    cfg = load(f'configs/demo/{task}_demo.py')
    paper = load(PAPER[task])
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


@pytest.mark.parametrize('task', TASKS)
def test_demo_config_builds(task):
    from mmengine.registry import MODELS, init_default_scope

    import uniformer_mm  # noqa: F401
    cfg = load(f'configs/demo/{task}_demo.py')
    init_default_scope(cfg.default_scope)
    if task == 'action':
        import mmaction.models  # noqa: F401  (registers into its scope)
    model = MODELS.build(cfg.model)
    n = sum(p.numel() for p in model.parameters())
    assert n < 3e6, f'the demo model is not tiny: {n} parameters'


@pytest.mark.parametrize('task', TASKS)
def test_demo_config_selects_our_runner(task):
    """tools/train.py and mim train build the same Runner from it."""
    assert load(f'configs/demo/{task}_demo.py').runner_type == \
        'uniformer_mm.Runner'


def test_make_demo_data_command(tmp_path):
    out = str(tmp_path / 'demo')
    tool = osp.join(TOOLS, 'dataset_converters', 'make_demo_data.py')
    code, text = run([PY, tool, '--out', out, '--tasks', 'cls'], str(tmp_path))
    assert code == 0, text[-2000:]
    assert '[demo data] cls    written to' in text, text[-2000:]
    assert is_complete(out, 'cls') and not is_complete(out, 'det')
    code, text = run([PY, tool, '--out', out, '--tasks', 'cls'], str(tmp_path))
    assert code == 0 and 'already in' in text, text[-2000:]
