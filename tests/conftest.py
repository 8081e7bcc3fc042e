"""Shared test set-up.

The tests mirror the package: ``test_models/`` (backbone, blocks, heads,
registry), ``test_weights/``, ``test_datasets/``, ``test_engine/`` (hooks,
optimizer constructors, runners, distributed runs), ``test_configs/``,
``test_tools/`` (the command lines, end to end on the demo data) and
``test_install/`` (environment and packaging).

pytest puts this folder on ``sys.path`` (it holds this conftest), so test
modules in subfolders import the helpers here: ``helpers`` (paths, config
loading, model building, subprocess runs, the golden cases),
``crafted_checkpoints`` and ``loopback_server``.

The session fixtures here, the generated demo data (``demo_dir``) and one
short training per task (``trained``), are shared by every module that runs
the tools on the demo: each task trains once per session.
"""
import os.path as osp

import pytest
from helpers import PY, TOOLS, demo_config, run

# Short schedules: enough for the loss to fall, a few seconds each.
SHORT = {
    'cls': ['train_cfg.max_epochs=10', 'train_cfg.val_interval=10'],
    'det': ['train_cfg.max_epochs=3', 'train_cfg.val_interval=3'],
    'seg': ['train_cfg.max_iters=60', 'train_cfg.val_interval=60'],
    'pose': ['train_cfg.max_epochs=6', 'train_cfg.val_interval=6'],
    'action': [
        'train_cfg.max_epochs=5', 'train_cfg.val_interval=5',
        'train_cfg.val_begin=5'
    ],
}


@pytest.fixture(scope='session')
def demo_dir(tmp_path_factory):
    """A working folder with freshly generated ``data/demo``."""
    root = str(tmp_path_factory.mktemp('e2e'))
    code, out = run([
        PY,
        osp.join(TOOLS, 'dataset_converters', 'make_demo_data.py'), '--out',
        osp.join(root, 'data', 'demo')
    ],
                    root,
                    timeout=300)
    assert code == 0, out
    return root


@pytest.fixture(scope='session')
def trained(demo_dir):
    """``trained(task)``: short training run, done once per session."""
    cache = {}

    def get(task):
        if task not in cache:
            work_dir = osp.join(demo_dir, 'work_dirs', f'{task}_short')
            code, out = run([
                PY,
                osp.join(TOOLS, 'train.py'),
                demo_config(task), '--work-dir', work_dir, '--no-validate',
                '--cfg-options', 'default_hooks.logger.interval=5',
                *SHORT[task]
            ], demo_dir)
            assert code == 0, out[-3000:]
            with open(osp.join(work_dir, 'last_checkpoint')) as f:
                ckpt = f.read().strip()
            cache[task] = (work_dir, ckpt)
        return cache[task]

    return get
