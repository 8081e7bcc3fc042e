"""The demo data and the short demo trainings that several test modules
share (``demo_dir`` and ``trained`` are session fixtures, made available to
every test module by ``conftest.py``): each task is trained once per
session, whichever tests ask for it."""
import os
import os.path as osp
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOOLS = osp.join(REPO, 'tools')
PY = sys.executable
TASKS = ('cls', 'det', 'seg', 'pose', 'action')

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


def cfg_path(task):
    return osp.join(REPO, 'configs', 'demo', f'{task}_demo.py')


def run(args, cwd, timeout=600, env=None):
    """Run a command; return (returncode, combined stdout + stderr)."""
    full_env = dict(os.environ)
    full_env['PYTHONPATH'] = REPO + os.pathsep + full_env.get('PYTHONPATH', '')
    full_env['PYTHONWARNINGS'] = 'ignore'
    full_env['PYTHON'] = PY  # for tools/train.sh and tools/test.sh
    full_env.update(env or {})
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True)
    return proc.returncode, proc.stdout


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
                cfg_path(task), '--work-dir', work_dir, '--no-validate',
                '--cfg-options', 'default_hooks.logger.interval=5',
                *SHORT[task]
            ], demo_dir)
            assert code == 0, out[-3000:]
            with open(osp.join(work_dir, 'last_checkpoint')) as f:
                ckpt = f.read().strip()
            cache[task] = (work_dir, ckpt)
        return cache[task]

    return get
