"""A wheel of the repository works as a mim package, without the sources.

The wheel is built from a copy of the working tree and installed into a
fresh virtualenv that sees this environment's toolboxes (a ``.pth`` line)
but not the repository or its editable install.
"""
import os
import os.path as osp
import shutil
import subprocess
import sys
import sysconfig

import pytest
import yaml
from loopback_server import LoopbackServer
from helpers import REPO

pytestmark = pytest.mark.slow

HOSTED = 'topdown_heatmap_uniformer_s_210e_coco_256x192'


@pytest.fixture(scope='module')
def venv(tmp_path_factory):
    """``run(code) -> CompletedProcess`` in the fresh virtualenv, and its
    site-packages."""
    root = tmp_path_factory.mktemp('packaging')
    source = root / 'source'
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(
        '.git', '.venv', 'work_dirs', 'data', 'build', '*.egg-info',
        '__pycache__', 'checkpoints'))
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps',
                    '--no-build-isolation', '-q', '-w', str(root / 'dist'),
                    str(source)], check=True, capture_output=True)
    wheel = next((root / 'dist').glob('uniformer_mm-*.whl'))
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip',
                    str(root / 'venv')], check=True)
    python = root / 'venv' / 'bin' / 'python'
    site = subprocess.run(
        [str(python), '-c', 'import sysconfig; print(sysconfig.get_paths()'
         '["purelib"])'], check=True, capture_output=True,
        text=True).stdout.strip()
    with open(osp.join(site, 'toolboxes.pth'), 'w') as f:
        f.write(sysconfig.get_paths()['purelib'] + '\n')
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q',
                    '--target', site, str(wheel)], check=True,
                   capture_output=True)

    def run(code):
        return subprocess.run([str(python), '-c', code], cwd=str(root),
                              capture_output=True, text=True, timeout=600,
                              env=dict(os.environ, PYTHONPATH='',
                                       PYTHONWARNINGS='ignore'))

    return run, site


MIM = 'import sys; from mim.cli import cli; sys.argv = {argv!r}; cli()'


def test_the_wheel_keeps_configs_and_the_model_hub(venv):
    run, site = venv
    result = run('import uniformer_mm, mmpretrain; '
                 'print(uniformer_mm.__file__); '
                 "print(mmpretrain.list_models('uniformer*'))")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith(site), result.stdout
    assert 'uniformer_s_300e_in1k' in result.stdout
    result = run(MIM.format(argv=['mim', 'search', 'uniformer_mm']))
    assert result.returncode == 0, result.stderr[-2000:]
    for name in ('uniformer_s_300e_in1k', 'mask_rcnn_uniformer_b_3x',
                 'upernet_uniformer_b_160k_ade20k', HOSTED,
                 'uniformer_s_16x4_k400'):
        assert name in result.stdout, name


def test_mim_download_fetches_the_file_a_metafile_names(venv, tmp_path):
    """The installed metafile's hosted pose model, pointed at a loopback
    server (no internet here): mim downloads it and dumps the config."""
    run, site = venv
    metafile = osp.join(site, 'uniformer_mm', '.mim', 'configs', 'pose',
                        'metafile.yml')
    text = open(metafile).read()
    published = next(model['Weights']
                     for model in yaml.safe_load(text)['Models']
                     if model['Name'] == HOSTED)
    assert published.startswith('https://download.openmmlab.com/mmpose/')
    with LoopbackServer() as server:
        url = server.add(osp.basename(published), b'weights')
        with open(metafile, 'w') as f:
            f.write(text.replace(published, url))
        dest = tmp_path / 'dest'
        result = run(MIM.format(argv=['mim', 'download', 'uniformer_mm',
                                      '--config', HOSTED, '--dest',
                                      str(dest)]))
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert (dest / osp.basename(published)).read_bytes() == b'weights'
    assert (dest / f'{HOSTED}.py').is_file()


def test_without_mmpretrain_the_package_builds_a_detector(venv):
    run, site = venv
    result = run(f'''
import sys
class NoMMPretrain:
    def find_spec(self, name, path=None, target=None):
        if name == 'mmpretrain' or name.startswith('mmpretrain.'):
            raise ModuleNotFoundError("No module named 'mmpretrain'")
sys.meta_path.insert(0, NoMMPretrain())
import uniformer_mm
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmdet.registry import MODELS
cfg = Config.fromfile('{site}/uniformer_mm/.mim/configs/demo/det_demo.py')
init_default_scope('mmdet')
model = MODELS.build(cfg.model)
print(type(model).__name__, type(model.backbone).__name__)
try:
    MODELS.build(dict(type='uniformer_mm.HourglassClsHead', in_channels=8))
except ImportError as error:
    print('ERROR:', error)
''')
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'MaskRCNN UniFormer' in result.stdout
    assert 'ERROR: uniformer_mm.HourglassClsHead needs mmpretrain' in \
        result.stdout
