"""MMDeploy + ONNX Runtime for the five tasks (configs/deploy,
uniformer_mm.deploy, tools/deployment/deploy.py) on the demo checkpoints.

Each task's deploy config exports the short demo training's checkpoint
(the ``trained`` session fixture of conftest.py, shared with test_e2e.py)
through MMDeploy's Python API, builds MMDeploy's ONNX Runtime model of the
toolbox and compares its predictions with PyTorch's on test samples; for
every task the toolbox's evaluator also runs over the demo test set
with both models and gives the same metrics. MMDeploy comes from
``tools/install.sh`` (``.venv/extras/mmdeploy``); without it these tests
skip and say so.
"""
import os
import os.path as osp
import subprocess
import sys

import pytest
from helpers import REPO, demo_config

from uniformer_mm.deploy import mmdeploy_available, mmdeploy_extras_dir

DEPLOY = osp.join(REPO, 'configs', 'deploy')
TOOL = osp.join(REPO, 'tools', 'deployment', 'deploy.py')

needs_mmdeploy = pytest.mark.skipif(
    not mmdeploy_available(),
    reason=f'MMDeploy is not installed in {mmdeploy_extras_dir()} '
    '(bash tools/install.sh installs it)')

# task: (deploy config, whether to compare the metrics on the test set)
CASES = {
    'cls': ('classification_onnxruntime_dynamic.py', True),
    'seg': ('segmentation_onnxruntime_dynamic.py', True),
    'pose': ('pose-detection_onnxruntime_dynamic.py', True),
    'action': ('video-recognition_onnxruntime_dynamic.py', True),
    'det': ('instance-seg_onnxruntime_dynamic.py', True),
}


@pytest.mark.slow
@needs_mmdeploy
@pytest.mark.parametrize('task', list(CASES))
def test_deploy_matches_pytorch(task, demo_dir, trained, tmp_path,
                                monkeypatch):
    """cls / video scores, seg labels, keypoints within 1e-4; det boxes
    within 1e-3 with the same labels and masks IoU > 0.99; the same
    metrics."""
    from uniformer_mm.deploy import deploy
    deploy_cfg, evaluate = CASES[task]
    _, checkpoint = trained(task)
    monkeypatch.chdir(demo_dir)  # the demo configs read data/demo/...
    result = deploy(osp.join(DEPLOY, deploy_cfg), demo_config(task),
                    checkpoint, str(tmp_path), num_samples=4,
                    evaluate_metrics=evaluate)
    assert osp.isfile(result.onnx_file)
    assert result.num_samples == 4
    assert result.ok, result.diffs
    if task == 'det':
        assert result.diffs['boxes'] < 1e-3, result.diffs
        assert result.diffs['label_mismatch_count'] == 0
        assert result.diffs['count_mismatch'] == 0
        assert result.diffs.get('mask_iou_gap', 0) < 0.01, result.diffs
    elif task == 'seg':
        assert result.diffs['label_mismatch'] <= 1e-4
    else:
        assert result.max_diff < 1e-4, result.diffs
    if evaluate:
        torch_metrics = result.metrics['pytorch']
        ort_metrics = result.metrics['onnxruntime']
        assert torch_metrics.keys() == ort_metrics.keys()
        for key, value in torch_metrics.items():
            assert float(ort_metrics[key]) == pytest.approx(
                float(value), abs=1e-6), (key, result.metrics)


@pytest.mark.slow
@needs_mmdeploy
def test_deploy_tool_static_and_dynamo(demo_dir, trained, tmp_path):
    """The CLI with a static config (TorchScript exporter) and with the
    dynamo exporter's config: both within 1e-4; exit status 0."""
    _, checkpoint = trained('cls')
    env = dict(os.environ, PYTHONWARNINGS='ignore',
               PYTHONPATH=REPO + os.pathsep + os.environ.get(
                   'PYTHONPATH', ''))
    for config in ('classification_onnxruntime_static.py',
                   'classification_onnxruntime-dynamo_dynamic.py'):
        proc = subprocess.run(
            [sys.executable, TOOL, osp.join(DEPLOY, config),
             demo_config('cls'), checkpoint, '--work-dir',
             str(tmp_path / config), '--num-samples', '2'],
            cwd=demo_dir, env=env, capture_output=True, text=True,
            timeout=600)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
        line = [x for x in proc.stdout.splitlines()
                if x.startswith('max |diff|')][-1]
        assert float(line.split(': ')[1].split()[0]) < 1e-4, line
        import onnx
        model = onnx.load(str(tmp_path / config / 'end2end.onnx'))
        opset = {o.domain: o.version for o in model.opset_import}['']
        assert opset == (18 if 'dynamo' in config else 17)


def test_without_mmdeploy_the_error_says_how_to_install(tmp_path):
    """``uniformer_mm.deploy`` imports without MMDeploy; using it names
    tools/install.sh and the folder it looked in."""
    missing = str(tmp_path / 'no-mmdeploy')
    code = ('import uniformer_mm.deploy as d\n'
            'try:\n'
            '    d.import_mmdeploy()\n'
            'except ImportError as e:\n'
            '    print(e)\n')
    env = dict(os.environ, UNIFORMER_MM_MMDEPLOY=missing, PYTHONPATH=REPO)
    out = subprocess.run([sys.executable, '-c', code], env=env,
                         capture_output=True, text=True, check=True).stdout
    if 'needs MMDeploy' not in out:
        pytest.skip('mmdeploy is importable from the default path here')
    assert 'bash tools/install.sh' in out and missing in out
