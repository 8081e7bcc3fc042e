"""Distributed correctness and fault tolerance of tools/train.py, on CPU.

Every run is a real ``tools/train.py`` / ``tools/train.sh`` subprocess on
the classification demo (tiny UniFormer, 64 images) with a deterministic
recipe: fixed seed and deterministic algorithms, the test pipeline (resize
+ centre crop) for training, no Mixup/CutMix, no drop path. Random
augmentation would break the bitwise comparisons below for a known reason:
MMEngine checkpoints do not hold the RNG states, and the two processes of a
2-process run draw different random numbers for the same sample.
"""
import glob
import os
import os.path as osp
import re
import signal
import subprocess
import sys
import time

import pytest
from helpers import REPO, free_port, run

from uniformer_mm.utils.demo_data import make_task
from uniformer_mm.weights import load_checkpoint_file

pytestmark = pytest.mark.slow

TRAIN = osp.join(REPO, 'tools', 'train.py')
IMAGES = 64
DETERMINISTIC = """
_base_ = '{base}'
model = dict(backbone=dict(norm_eval={norm_eval}), train_cfg=None)
train_dataloader = dict(
    batch_size={batch},
    sampler=dict(_delete_=True, type='DefaultSampler', shuffle=True, seed=0),
    dataset=dict(indices={images}, pipeline=_base_.test_pipeline))
optim_wrapper = dict(optimizer=dict({optimizer}))
train_cfg = dict(max_epochs={epochs}, val_interval={epochs})
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=1, max_keep_ckpts=-1))
randomness = dict(seed=0, deterministic=True)
"""
LOG_ITER = re.compile(r'Epoch\(train\) +\[ *(\d+)\]\[ *(\d+)/(\d+)\]')
SGD = "_delete_=True, type='SGD', lr=0.05, momentum=0.9, weight_decay=1e-4"


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    """A working folder with the classification demo data."""
    folder = tmp_path_factory.mktemp('distributed')
    make_task(str(folder / 'data' / 'demo'), 'cls')
    return folder


def write_config(folder, name, batch, epochs, norm_eval=True, optimizer=''):
    path = str(folder / f'{name}.py')
    with open(path, 'w') as f:
        f.write(
            DETERMINISTIC.format(
                base=osp.join(REPO, 'configs', 'demo', 'cls_demo.py'),
                norm_eval=norm_eval,
                batch=batch,
                images=IMAGES,
                epochs=epochs,
                optimizer=optimizer))
    return path


def weights(path):
    return load_checkpoint_file(path)['state_dict']


def max_difference(a, b):
    assert sorted(a) == sorted(b)
    return max((a[k].double() - b[k].double()).abs().max().item() for k in a
               if a[k].is_floating_point())


def train(root, config, work_dir, gpus=1, extra=()):
    if gpus == 1:
        args = [sys.executable, TRAIN, config]
    else:
        args = ['bash', osp.join(REPO, 'tools', 'train.sh'), config, '2']
    code, out = run(
        args + ['--work-dir', work_dir, '--no-validate', *extra],
        str(root),
        env=dict(PORT=free_port(), OMP_NUM_THREADS='1'))
    assert code == 0, out[-3000:]
    return out


def test_two_processes_match_one_with_double_batch(root):
    """2 processes x 8 images = 1 process x 16 images, step by step.

    DDP averages the gradients of the two halves of each global batch,
    which is the gradient of the whole batch, so the weights after every
    epoch agree within float32 round-off. Batch norm in training mode is the
    exception: each process normalises with the statistics of its own 8
    images (SyncBN would use all 16, but needs GPUs; tools/train.py turns it
    into BN on CPU), so the runs part. ``norm_eval=True`` (BN with its
    running statistics, the usual setting for fine-tuning) restores parity.
    """
    work = {}
    for norm_eval in (True, False):
        for gpus, batch in ((1, 16), (2, 8)):
            name = f'bn_eval{norm_eval}_{gpus}x{batch}'
            config = write_config(
                root, name, batch, epochs=2, norm_eval=norm_eval,
                optimizer=SGD)
            work[norm_eval, gpus] = str(root / name)
            train(root, config, work[norm_eval, gpus], gpus)

    for epoch in (1, 2):
        single, double = (
            weights(osp.join(work[True, gpus], f'epoch_{epoch}.pth'))
            for gpus in (1, 2))
        assert max_difference(single, double) < 1e-5, epoch
    single, double = (weights(osp.join(work[False, gpus], 'epoch_2.pth'))
                      for gpus in (1, 2))
    assert max_difference(single, double) > 1e-3  # BN statistics differ


def read_log_iters(work_dir):
    """Global iteration of every ``Epoch(train) [e][i/n]`` log line."""
    iters = []
    for log in glob.glob(osp.join(work_dir, '*', '*.log')):
        with open(log) as f:
            for e, i, n in LOG_ITER.findall(f.read()):
                iters.append((int(e) - 1) * int(n) + int(i))
    return iters


def test_sigkill_then_resume_ends_with_the_uninterrupted_weights(root):
    """A run killed (SIGKILL) inside a checkpoint interval restarts from the
    last checkpoint with --resume, loses less than one interval and ends
    with the weights of a run that was never interrupted."""
    epochs, batch = 5, 16
    per_epoch = IMAGES // batch
    config = write_config(root, 'resume', batch, epochs)
    reference = str(root / 'uninterrupted')
    train(root, config, reference)

    work_dir = str(root / 'killed')
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONWARNINGS='ignore')
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.Popen(
        [sys.executable, TRAIN, config, '--work-dir', work_dir,
         '--no-validate'],
        cwd=str(root),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:  # kill inside the third epoch (after its first logged iteration)
        deadline = time.time() + 300
        while max(read_log_iters(work_dir), default=0) <= 2 * per_epoch \
                and proc.poll() is None:
            assert time.time() < deadline, 'not in epoch 3 after 300s'
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL, 'the run ended on its own'
    assert not osp.isfile(osp.join(work_dir, f'epoch_{epochs}.pth'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        last = f.read().strip()
    saved_epoch = int(re.search(r'epoch_(\d+)\.pth$', last)[1])
    lost = max(read_log_iters(work_dir)) - saved_epoch * per_epoch
    assert 0 <= lost <= per_epoch, f'{lost} iterations past the checkpoint'

    out = train(root, config, work_dir, extra=['--resume'])
    assert f'resumed epoch: {saved_epoch}, iter: {saved_epoch * per_epoch}' \
        in out, out[-3000:]
    final = f'epoch_{epochs}.pth'
    difference = max_difference(
        weights(osp.join(reference, final)), weights(osp.join(work_dir,
                                                              final)))
    assert difference == 0, difference


def test_truncated_checkpoint_is_refused_and_the_previous_one_resumes(root):
    """A checkpoint cut short on disk (a copy or a write that did not
    finish outside tools/train.py) stops --resume with a message naming the
    file and the usable one before it, which then resumes normally."""
    config = write_config(root, 'truncated', 16, epochs=3)
    work_dir = str(root / 'truncated')
    train(root, config, work_dir, extra=['--cfg-options',
                                         'train_cfg.max_epochs=2'])
    latest = osp.join(work_dir, 'epoch_2.pth')
    with open(latest, 'rb') as f:
        data = f.read()
    with open(latest, 'wb') as f:
        f.write(data[:len(data) // 2])

    code, out = run(
        [sys.executable, TRAIN, config, '--work-dir', work_dir,
         '--no-validate', '--resume'], str(root))
    assert code == 2, out[-3000:]
    assert 'Traceback' not in out, out[-3000:]
    for words in ("cannot read --resume checkpoint '", 'epoch_2.pth',
                  'truncated or corrupt', 'other checkpoints in',
                  'epoch_1.pth', '--resume truncated/epoch_1.pth'):
        assert words in out, (words, out[-3000:])

    out = train(root, config, work_dir, extra=['--resume',
                                               'truncated/epoch_1.pth'])
    assert 'resumed epoch: 1, iter: 4' in out, out[-3000:]
    assert load_checkpoint_file(osp.join(
        work_dir, 'epoch_3.pth'))['meta']['epoch'] == 3
