"""The installed stack: the toolboxes import, mmcv's ops run on CPU, mim
runs, and a broken mmaction2 leaves the other toolboxes working."""
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch


# toolbox default scope -> module holding its MODELS registry


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
