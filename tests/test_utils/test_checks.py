"""uniformer_mm.utils.checks: data paths and checkpoints, checked with a
message naming the key or file and the fix."""
import os

import pytest
import torch
from mmengine.config import Config

from uniformer_mm.utils.checks import check_checkpoint, check_data
from uniformer_mm.utils.errors import FixableError


def test_check_data_names_the_key(tmp_path):
    cfg = Config(
        dict(
            train_dataloader=dict(
                dataset=dict(
                    type='RepeatDataset',
                    times=2,
                    dataset=dict(
                        data_root=str(tmp_path / 'missing'),
                        ann_file='a.json',
                        data_prefix=dict(img='imgs/'))))))
    with pytest.raises(FixableError) as e:
        check_data(cfg, ['train'])
    msg = str(e.value)
    assert 'train_dataloader.dataset.dataset.data_root' in msg
    assert 'a.json' not in msg  # a missing root is reported once
    assert 'make_demo_data.py' in msg  # the fix
    os.makedirs(tmp_path / 'missing' / 'imgs')
    with pytest.raises(FixableError, match='ann_file'):
        check_data(cfg, ['train'])
    (tmp_path / 'missing' / 'a.json').write_text('{}')
    check_data(cfg, ['train'])
    check_data(cfg, ['val', 'test'])  # phases without a loader: nothing


def test_check_data_reads_evaluators(tmp_path):
    cfg = Config(
        dict(
            test_dataloader=dict(dataset=dict(data_root=str(tmp_path))),
            test_evaluator=[
                dict(type='CocoMetric', ann_file=str(tmp_path / 'x.json')),
                dict(type='DumpResults')
            ]))
    with pytest.raises(FixableError, match=r'test_evaluator\[0\].ann_file'):
        check_data(cfg, ['test'])


def test_check_checkpoint(tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
    good = tmp_path / 'good.pth'
    torch.save(dict(state_dict=model.state_dict(), meta=dict(iter=1)), good)
    check_checkpoint(model, str(good))
    other = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.BatchNorm1d(5))
    bad = tmp_path / 'bad.pth'
    torch.save(dict(state_dict=other.state_dict()), bad)
    with pytest.raises(FixableError, match='another shape'):
        check_checkpoint(model, str(bad))
    check_checkpoint(None, str(bad))  # no model: only the file is read
    partial = tmp_path / 'partial.pth'
    torch.save({'0.weight': model[0].weight}, partial)
    with pytest.raises(FixableError, match='missing'):
        check_checkpoint(model, str(partial))
    with pytest.raises(FixableError,
                       match="--resume checkpoint '.*none.pth' does not"):
        check_checkpoint(model, str(tmp_path / 'none.pth'),
                         '--resume checkpoint')


def test_truncated_checkpoint_names_the_others(tmp_path, monkeypatch):
    model = torch.nn.Linear(4, 3)
    monkeypatch.chdir(tmp_path)
    torch.save(dict(state_dict=model.state_dict()), 'epoch_1.pth')
    torch.save(dict(state_dict=model.state_dict()), 'epoch_2.pth')
    data = (tmp_path / 'epoch_2.pth').read_bytes()
    (tmp_path / 'epoch_2.pth').write_bytes(data[:len(data) // 2])
    with pytest.raises(FixableError) as e:
        check_checkpoint(model, 'epoch_2.pth', '--resume checkpoint')
    msg = str(e.value)
    for words in ("cannot read --resume checkpoint 'epoch_2.pth'",
                  'truncated or corrupt', 'other checkpoints in',
                  '--resume epoch_1.pth'):
        assert words in msg, (words, msg)
