"""Checkpoint loading runs nothing from the file, on every load path.

The crafted files (``crafted_checkpoints.py``) splice a payload in front of
a genuine MMEngine Runner checkpoint. Each path must refuse them (or, for
``meta['config']``, never execute it), leave no marker file and leave
torch's process-wide allow-list and MMEngine's classes as they were.
"""
import os
import os.path as osp
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn as nn
from crafted_checkpoints import (CONFIG_WITH_CODE, PAYLOADS,
                                 save_with_config_code, save_with_payload)
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.model import BaseModel
from mmengine.runner import CheckpointLoader, Runner, load_checkpoint
from torch.utils.data import Dataset

import uniformer_mm  # noqa: F401  (guards MMEngine's checkpoint loaders)
from uniformer_mm.datasets import LoadTokenLabel
from uniformer_mm.models import UniFormer
from uniformer_mm.weights import (UnsafeCheckpointError, convert_release,
                                  load_checkpoint_file,
                                  mmengine_checkpoint_globals,
                                  read_checkpoint)

REFUSED = (UnsafeCheckpointError, pickle.UnpicklingError)


class ToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(torch.stack(inputs))
        return dict(loss=out.pow(2).mean()) if mode == 'loss' else out


class ToyDataset(Dataset):
    """With numpy arrays in its metainfo, as mmpose datasets have."""
    metainfo = dict(classes=('a', 'b'),
                    sigmas=np.array([0.025, 0.035], dtype=np.float32),
                    colors=np.array([[255, 0, 0]], dtype=np.uint8))

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return dict(inputs=torch.full((2, ), float(i)))


def toy_runner(work_dir, epochs=1, **kwargs):
    return Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(dataset=ToyDataset(),
                              sampler=dict(type='DefaultSampler',
                                           shuffle=False),
                              collate_fn=dict(type='pseudo_collate'),
                              batch_size=2),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(by_epoch=True, max_epochs=epochs),
        default_hooks=dict(logger=dict(type='LoggerHook', interval=1)),
        **kwargs)


@pytest.fixture(scope='module')
def genuine(tmp_path_factory):
    """A checkpoint the MMEngine Runner wrote (numpy 2), and its contents
    as the stand-ins read it."""
    work_dir = tmp_path_factory.mktemp('runner')
    toy_runner(work_dir).train()
    path = str(work_dir / 'epoch_1.pth')
    return path, load_checkpoint_file(path)


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / 'MARKER'
    yield str(path)
    assert not path.exists(), 'the payload ran'


@pytest.fixture
def unchanged_process_state():
    """torch's allow-list and HistoryBuffer's class table stay as they
    were."""
    safe_globals = set(torch.serialization.get_safe_globals())
    methods = dict(HistoryBuffer._statistics_methods)
    yield
    assert set(torch.serialization.get_safe_globals()) == safe_globals
    assert HistoryBuffer._statistics_methods == methods


# ------------------------------------------------ genuine checkpoints


def test_a_runner_checkpoint_loads_into_plain_objects(genuine, tmp_path):
    path, checkpoint = genuine
    buffers = checkpoint['message_hub']['log_scalars']
    assert buffers and all(type(b) is HistoryBuffer for b in buffers.values())
    loss = buffers['train/loss']
    assert loss.mean() == pytest.approx(loss.data[0].mean())
    sigmas = checkpoint['meta']['dataset_meta']['sigmas']
    assert type(sigmas) is np.ndarray and sigmas.dtype == np.float32
    assert sigmas.flags.writeable
    np.testing.assert_array_equal(sigmas, ToyDataset.metainfo['sigmas'])
    np.testing.assert_array_equal(checkpoint['meta']['dataset_meta']['colors'],
                                  ToyDataset.metainfo['colors'])
    MessageHub.get_instance('safe-load-test').load_state_dict(
        checkpoint['message_hub'])
    # re-saved, it is an ordinary MMEngine checkpoint again
    again = tmp_path / 'again.pth'
    torch.save(checkpoint, again)
    assert sorted(torch.serialization.get_unsafe_globals_in_checkpoint(
        str(again))) == sorted(
            torch.serialization.get_unsafe_globals_in_checkpoint(path))
    assert load_checkpoint_file(str(again))['meta']['iter'] == \
        checkpoint['meta']['iter']


def test_mmengine_loaders_resume_and_load_from(genuine, tmp_path):
    path, checkpoint = genuine
    model = ToyModel()
    load_checkpoint(model, path)
    assert torch.equal(model.linear.weight,
                       checkpoint['state_dict']['linear.weight'])
    runner = toy_runner(tmp_path / 'resume', resume=True, load_from=path,
                        epochs=2)
    runner.train()  # resumes at epoch 1, trains epoch 2, saves
    assert runner.epoch == 2
    resaved = load_checkpoint_file(str(tmp_path / 'resume' / 'epoch_2.pth'))
    assert resaved['meta']['epoch'] == 2
    toy_runner(tmp_path / 'load_from', load_from=str(
        tmp_path / 'resume' / 'epoch_2.pth')).load_or_resume()


def test_official_and_converted_files_need_no_mmengine_globals(monkeypatch):
    """Plain weights load with torch's default; the stand-ins are not
    registered for them."""
    from uniformer_mm.weights import safe_load

    def no_stand_ins():
        raise AssertionError('stand-ins registered for a plain file')

    monkeypatch.setattr(safe_load, 'mmengine_checkpoint_globals',
                        no_stand_ins)
    golden = osp.join(osp.dirname(osp.dirname(__file__)), 'data', 'golden')
    assert read_checkpoint(osp.join(golden, 'cls-s.pth'))['model']


def test_process_wide_allow_list_is_untouched(genuine, tmp_path):
    """In a fresh process: the same allow-list before and after import and
    after loads, a user's registration under one of the stand-ins' names
    comes back, and a plain torch.load still refuses MMEngine's globals."""
    script = tmp_path / 'check.py'
    script.write_text(f'''
import pickle, numpy as np, torch
import torch._dynamo, torch.distributed.tensor  # these register their own
torch.serialization.add_safe_globals([np.dtype])
before = set(torch.serialization.get_safe_globals())
import uniformer_mm
from mmengine.runner import CheckpointLoader
from uniformer_mm.weights import load_checkpoint_file
assert set(torch.serialization.get_safe_globals()) == before
load_checkpoint_file({genuine[0]!r})
CheckpointLoader.load_checkpoint({genuine[0]!r})
assert set(torch.serialization.get_safe_globals()) == before
try:
    torch.load({genuine[0]!r})
except pickle.UnpicklingError as error:
    assert 'HistoryBuffer' in str(error) or 'numpy' in str(error), error
else:
    raise AssertionError('plain torch.load read an MMEngine checkpoint')
print('OK')
''')
    result = subprocess.run([sys.executable, str(script)], text=True,
                            capture_output=True, timeout=300)
    assert result.stdout.strip().endswith('OK'), result.stderr[-2000:]


def test_stand_ins_refuse_outside_a_guarded_load(genuine):
    """While registered (another thread loading), a plain torch.load gets
    no placeholders: the stand-ins refuse to work for it."""
    with mmengine_checkpoint_globals():
        with pytest.raises(UnsafeCheckpointError, match='only through'):
            torch.load(genuine[0])


# --------------------------------------------------------- crafted


def test_the_getattr_payload_runs_under_a_process_wide_getattr(
        tmp_path):
    """Control: the payload is real. With ``builtins.getattr``
    allow-listed as it was before, a weights-only load runs the command and
    still returns the checkpoint."""
    marker = tmp_path / 'MARKER'
    path = save_with_payload({'w': torch.ones(1)}, str(tmp_path / 'x.pth'),
                             'getattr_module_dict', str(marker))
    script = (f'import torch\ntorch.serialization.add_safe_globals([getattr])'
              f'\nprint(torch.load({path!r})["w"].item())')
    result = subprocess.run([sys.executable, '-c', script], text=True,
                            capture_output=True, timeout=120)
    assert result.stdout.strip() == '1.0', result.stderr[-2000:]
    assert marker.exists()


def test_the_history_buffer_payload_plants_methods_in_mmengine(tmp_path):
    """Control: MMEngine's own ``__setstate__`` writes a file's callables
    into the class table that every HistoryBuffer uses."""
    path = save_with_payload({'w': torch.ones(1)}, str(tmp_path / 'x.pth'),
                             'history_buffer_methods', 'unused')
    script = f'''
import torch, numpy as np
from mmengine.logging.history_buffer import HistoryBuffer
from numpy._core.multiarray import _reconstruct, scalar
HistoryBuffer()  # the class table holds MMEngine's methods
torch.serialization.add_safe_globals(
    [HistoryBuffer, np.ndarray, np.dtype, _reconstruct, scalar,
     type(np.dtype('f8')), type(np.dtype('i8'))])
torch.load({path!r})
print(HistoryBuffer._statistics_methods['mean'] is set)
'''
    result = subprocess.run([sys.executable, '-c', script], text=True,
                            capture_output=True, timeout=120)
    assert result.stdout.strip() == 'True', result.stderr[-2000:]


def test_config_text_is_code_for_mmengine(tmp_path):
    """Control: what MMEngine's resume does with ``meta['config']``."""
    from mmengine.config import Config
    marker = tmp_path / 'MARKER'
    Config.fromstring(CONFIG_WITH_CODE.format(marker=marker), '.py')
    assert marker.exists()


def _crafted(genuine, tmp_path, payload, marker):
    return save_with_payload(genuine[1], str(tmp_path / f'{payload}.pth'),
                             payload, marker)


def _load_paths(tmp_path):
    """Every in-process way a checkpoint is read: ``name -> load(path)``."""

    def init_cfg(path):
        UniFormer(arch='xxs', init_cfg=dict(type='Pretrained',
                                            checkpoint=path)).init_weights()

    def token_label(path):
        label_dir = tmp_path / 'labels' / 'class0'
        label_dir.mkdir(parents=True, exist_ok=True)
        os.replace(path, label_dir / 'img.pt')
        LoadTokenLabel(str(tmp_path / 'labels'))(
            dict(img_path=str(tmp_path / 'class0' / 'img.png')))

    def runner(**kwargs):
        return lambda path: toy_runner(
            tmp_path / 'runner', load_from=path, **kwargs).load_or_resume()

    return {
        'torch.load': torch.load,
        'load_checkpoint_file': load_checkpoint_file,
        'CheckpointLoader': CheckpointLoader.load_checkpoint,
        'mmengine.load_checkpoint': lambda p: load_checkpoint(ToyModel(), p),
        'Runner resume': runner(resume=True),
        'Runner load_from': runner(),
        'init_cfg Pretrained': init_cfg,
        'converter': lambda p: convert_release(read_checkpoint(p), 'cls'),
        'token label': token_label,
    }


@pytest.mark.parametrize('payload', sorted(PAYLOADS))
def test_crafted_checkpoints_are_refused_on_every_path(
        payload, genuine, tmp_path, marker, unchanged_process_state):
    for name, load in _load_paths(tmp_path).items():
        path = _crafted(genuine, tmp_path, payload, marker)
        with pytest.raises(REFUSED) as error:
            load(path)
        assert not osp.exists(marker), name
        if name not in ('torch.load', 'token label'):
            assert repr(path) in str(error.value), (name, error.value)


def test_refusals_say_why(genuine, tmp_path):
    reasons = {
        'getattr_module_dict': "getattr(<function _rebuild_tensor",
        'history_buffer_methods': 'HistoryBuffer statistics methods',
        'history_buffer_instance_state': 'HistoryBuffer state with keys',
        'history_buffer_call': 'a call to HistoryBuffer',
        'object_dtype_overlap': "non-numeric numpy dtype 'V8'",
        'numeric_dtype_flags': 'fields, subarrays or flags',
    }
    for payload, reason in reasons.items():
        path = _crafted(genuine, tmp_path, payload, 'unused')
        with pytest.raises(UnsafeCheckpointError) as error:
            load_checkpoint_file(path)
        message = str(error.value)
        assert reason in message and repr(path) in message, message
        assert 'genuine MMEngine checkpoint never does' in message
        assert 'weights_only=False' not in message


def test_config_code_is_never_executed(genuine, tmp_path, marker):
    """Resume drops ``meta['config']`` (it would be executed); the MMEngine
    loaders return the checkpoint without it."""
    path = save_with_config_code(genuine[1], str(tmp_path / 'cfg.pth'),
                                 marker)
    runner = toy_runner(tmp_path / 'resume', resume=True, load_from=path,
                        epochs=2)
    runner.train()
    assert runner.epoch == 2
    paths = _load_paths(tmp_path)
    for name in ('CheckpointLoader', 'Runner load_from'):
        paths[name](path)
    assert 'config' not in CheckpointLoader.load_checkpoint(path)['meta']
    # our own reader returns the file as it is; nothing there executes it
    assert 'system' in load_checkpoint_file(path)['meta']['config']
