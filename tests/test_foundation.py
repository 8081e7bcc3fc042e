"""The installed stack: toolboxes import, mmcv ops run, registries resolve."""
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.nn as nn
from mmengine.registry import MODELS as ROOT

import uniformer_mm
from uniformer_mm.registry import MODELS

# toolbox default scope -> module holding its MODELS registry
TOOLBOX_REGISTRIES = {
    'mmpretrain': 'mmpretrain.registry',
    'mmdet': 'mmdet.registry',
    'mmseg': 'mmseg.registry',
    'mmpose': 'mmpose.registry',
    'mmaction': 'mmaction.registry',
}


@pytest.mark.parametrize('module', [
    'mmcv.ops', 'mmengine', 'mmpretrain.models', 'mmdet.models',
    'mmseg.models', 'mmpose.models', 'mmaction.models'
])
def test_toolbox_imports(module):
    importlib.import_module(module)


def test_mmcv_ops_run_on_cpu():
    from mmcv.ops import RoIAlign, nms
    boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.],
                          [20., 20., 30., 30.]])
    scores = torch.tensor([0.9, 0.8, 0.7])
    _, keep = nms(boxes, scores, iou_threshold=0.5)
    assert keep.tolist() == [0, 2]
    features = torch.arange(64, dtype=torch.float32).view(1, 1, 8, 8)
    rois = torch.tensor([[0., 0., 0., 4., 4.]])
    pooled = RoIAlign((2, 2), spatial_scale=1.0, sampling_ratio=2)(features,
                                                                   rois)
    assert pooled.shape == (1, 1, 2, 2)


def test_mim_runs():
    beside_python = Path(sys.executable).with_name('mim')
    mim = str(beside_python) if beside_python.exists() else shutil.which('mim')
    assert mim, 'the mim command is not installed'
    result = subprocess.run([mim, '--version'], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_registry_is_a_child_of_the_root():
    assert MODELS.scope == 'uniformer_mm'
    assert MODELS.parent is ROOT
    assert ROOT.children['uniformer_mm'] is MODELS


@pytest.fixture(scope='module')
def tiny_module():
    """A trivial module registered only for this test."""

    class FoundationProbe(nn.Module):

        def forward(self, x):
            return x

    MODELS.register_module(module=FoundationProbe)
    yield FoundationProbe
    MODELS._module_dict.pop('FoundationProbe')


@pytest.mark.parametrize('scope', sorted(TOOLBOX_REGISTRIES))
def test_scoped_names_resolve_from_every_toolbox(scope, tiny_module):
    registry = importlib.import_module(TOOLBOX_REGISTRIES[scope]).MODELS
    probe = registry.build(dict(type='uniformer_mm.FoundationProbe'))
    assert isinstance(probe, tiny_module)
    backbone = registry.build(
        dict(type='uniformer_mm.UniFormer',
             arch=dict(depths=[1, 1, 1, 1], embed_dims=[8, 16, 24, 32],
                       head_dim=8, mlp_ratio=2)))
    assert isinstance(backbone, uniformer_mm.models.UniFormer)


def test_unscoped_name_keeps_mmaction2s_own_uniformer():
    from mmaction.registry import MODELS as ACTION
    theirs = ACTION.get('UniFormer')
    assert theirs is not None and theirs is not uniformer_mm.models.UniFormer
    assert theirs.__module__.startswith('mmaction.')
    ours = uniformer_mm.models.UniFormer
    assert ACTION.get('uniformer_mm.UniFormer') is ours


@pytest.mark.parametrize('scope', sorted(TOOLBOX_REGISTRIES))
def test_nothing_is_registered_outside_our_scope(scope):
    """Our modules live in our registry only: no toolbox registry (nor
    MMEngine's root) holds a uniformer_mm class."""
    registry = importlib.import_module(TOOLBOX_REGISTRIES[scope]).MODELS
    for owner in (registry, ROOT):
        leaked = [name for name, cls in owner._module_dict.items()
                  if getattr(cls, '__module__', '').startswith('uniformer_mm')]
        assert not leaked, (owner.scope, leaked)
    assert MODELS.get('UniFormer') is uniformer_mm.models.UniFormer


BROKEN_MMACTION = r'''
import sys


class BrokenMMAction:
    """As the mmaction2 1.2.0 wheel without models/localizers/drn."""

    def find_spec(self, name, path=None, target=None):
        if name == 'mmaction' or name.startswith('mmaction.'):
            raise ModuleNotFoundError("No module named 'mmaction.models."
                                      "localizers.drn'")


sys.meta_path.insert(0, BrokenMMAction())
import uniformer_mm  # noqa: E402
from mmdet.registry import MODELS  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

init_default_scope('mmdet')
MODELS.build(dict(type='uniformer_mm.UniFormer', arch='xxs'))
try:
    MODELS.build(dict(type='uniformer_mm.HourglassI3DHead', num_classes=2,
                      in_channels=8))
except ImportError as error:
    print('ERROR:', error)
'''


def test_broken_mmaction2_leaves_the_other_toolboxes_working(tmp_path):
    """uniformer_mm imports and builds for mmdet with mmaction2 unusable;
    only the mmaction2 head fails, saying why."""
    script = tmp_path / 'broken_mmaction.py'
    script.write_text(BROKEN_MMACTION)
    result = subprocess.run([sys.executable, str(script)], text=True,
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'ERROR: uniformer_mm.HourglassI3DHead needs mmaction2' in \
        result.stdout and 'localizers.drn' in result.stdout
