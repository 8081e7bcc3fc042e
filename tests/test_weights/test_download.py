"""Published weights from a URL: cached, hash-checked, clear failures.

Every test serves generated release files from a loopback HTTP server
(127.0.0.1, started here); no test needs the internet.
"""
import io
import os.path as osp
import time

import pytest
import torch
from loopback_server import LoopbackServer, hash_named
from helpers import REPO
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import CheckpointLoader, load_checkpoint

from uniformer_mm.models import UniFormer
from uniformer_mm.utils.toolboxes import toolbox_registry
from uniformer_mm.weights import (DownloadError, RELEASES, download,
                                  expected_sha256)

TASKS = ('cls', 'det', 'seg', 'pose', 'action')


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A loopback server, with torch hub's cache in a temporary folder."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    monkeypatch.setenv('UNIFORMER_MM_DOWNLOAD_TIMEOUT', '1')
    with LoopbackServer() as server:
        yield server


def saved(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def cached(name):
    return osp.join(torch.hub.get_dir(), 'checkpoints', name)


def demo_child(task, tmp_path, line):
    """A child of the task's demo config (tiny arch, a paper config's
    child) with one extra line; returns the parsed config."""
    child = tmp_path / f'{task}_child.py'
    child.write_text(f"_base_ = '{REPO}/configs/demo/{task}_demo.py'\n"
                     f'{line}\n')
    return Config.fromfile(str(child))


def build(cfg):
    init_default_scope(cfg.default_scope)
    registry = toolbox_registry(cfg.default_scope)
    return registry.MODELS.build(cfg.model)


def image_weights(backbone_cfg) -> dict:
    """Official-layout ImageNet-style weights of a config's (tiny) arch:
    2D, a BN head norm, random values."""
    torch.manual_seed(0)
    model = UniFormer(arch=backbone_cfg.arch, out_norm='BN')
    for param in model.parameters():
        torch.nn.init.normal_(param)
    return model.state_dict()


# ------------------------------------------------------------ downloads


def test_download_caches_and_checks_the_name_hash(server):
    data = saved({'model': {'w': torch.arange(4.)}})
    name = hash_named('uniformer_tiny_in1k_20991231', data)
    url = server.add(name, data)
    assert expected_sha256(url) == name[-12:-4]
    path = download(url)
    assert path == cached(name) and open(path, 'rb').read() == data
    assert download(url) == path  # the second time from the cache
    assert server.gets[f'/{name}'] == 1


def test_altered_or_truncated_files_are_refused(server):
    data = saved({'model': {'w': torch.arange(64.)}})
    name = hash_named('uniformer_tiny_in1k_20991231', data)
    altered = data[:-1] + bytes([data[-1] ^ 1])
    server.add(name, altered)
    with pytest.raises(DownloadError) as error:
        download(server.url(name))
    actual = __import__('hashlib').sha256(altered).hexdigest()[:8]
    assert f'sha256 {actual}... does not match the published ' \
        f'{name[-12:-4]}' in str(error.value)
    server.files[f'/{name}'] = data
    server.truncate[f'/{name}'] = data[:len(data) // 2]
    with pytest.raises(DownloadError, match='truncated|IncompleteRead'):
        download(server.url(name))
    assert not osp.exists(cached(name))  # nothing half-written is kept
    assert not [p for p in __import__('os').listdir(
        osp.dirname(cached(name))) if p.endswith('.part')]


@pytest.mark.parametrize('failure', ['stopped', 'missing', 'silent'])
def test_failed_downloads_stop_in_seconds_saying_what_to_do(
        server, failure):
    name = 'uniformer_small_in1k.pth'  # a table name: its page is named
    url = server.url(name)
    if failure == 'stopped':
        server.stop()
    elif failure == 'silent':
        server.files[f'/{name}'] = b'x'
        server.silent.add(f'/{name}')
    start = time.monotonic()
    with pytest.raises(DownloadError) as error:
        download(url)
    assert time.monotonic() - start < 10
    message = str(error.value)
    for part in (url, f'checkpoints/{name}',
                 f"pretrained = 'checkpoints/{name}'",
                 'mmaction/models/backbones/uniformer.py'):
        assert part in message, message
    if failure == 'missing':
        assert 'HTTP Error 404' in message


# --------------------------------------------------- MMEngine / init_cfg


def test_mmengine_urls_load_weights_only_through_our_download(server):
    """``load_checkpoint(model, URL)`` (``load_from``, ``mim test
    --checkpoint URL``) goes through our cache and hash check, and reads
    MMEngine's checkpoint classes safely."""
    from mmengine.logging import HistoryBuffer
    model = torch.nn.Linear(2, 1)
    data = saved(dict(state_dict=model.state_dict(),
                      meta=dict(buffer=HistoryBuffer([1.0], [1]))))
    name = hash_named('toolbox_model_20991231', data)
    url = server.add(name, data)
    load_checkpoint(torch.nn.Linear(2, 1), url)
    assert osp.isfile(cached(name))
    assert CheckpointLoader._get_checkpoint_loader(url).uniformer_mm_guarded


@pytest.mark.parametrize('task', TASKS)
def test_a_config_names_its_weights_with_or_without_a_runner(
        task, server, tmp_path):
    """``MODELS.build(cfg.model).init_weights()`` outside a Runner loads
    the URL a child config names in one line (2D files inflate for video;
    the demo configs train from scratch, hence ``_delete_``); the file is
    downloaded once."""
    base = demo_child(task, tmp_path, '')
    weights = image_weights(base.model.backbone)
    data = saved({'model': weights})
    name = hash_named(f'uniformer_{task}_in1k_20991231', data)
    url = server.add(name, data)
    cfg = demo_child(task, tmp_path, "model = dict(backbone=dict(init_cfg="
                     "dict(_delete_=True, type='Pretrained', "
                     f"checkpoint='{url}')))")
    for _ in range(2):
        model = build(cfg)
        model.init_weights()
    assert server.gets[f'/{name}'] == 1
    loaded = model.backbone.state_dict()
    for key, value in weights.items():
        if key.startswith('norm'):
            continue  # the dense models' output norms are their own
        if value.dim() + 1 == loaded[key].dim():  # inflated (average)
            value = (value.unsqueeze(2) / loaded[key].shape[2]).expand_as(
                loaded[key])
        assert torch.allclose(loaded[key], value), key


# --------------------------------------------------------------- table


def test_release_table_is_consistent():
    names = [r.name for r in RELEASES]
    assert len(names) == len(set(names))
    for release in RELEASES:
        assert release.task in TASKS and release.layout in (
            'official', 'mmaction2', 'mmpose')
        assert release.where and release.description
        if release.sha256:
            assert release.url and int(release.sha256, 16) >= 0
        if release.url:
            assert release.url.startswith('https://')
            # a hash-suffixed OpenMMLab name agrees with the table
            assert expected_sha256(release.url) == release.sha256
        if release.layout != 'official':
            assert release.url  # hosted whole models are downloadable


def test_every_table_url_is_used_by_a_config_or_a_metafile():
    import glob
    import yaml
    used = set()
    for path in glob.glob(osp.join(REPO, 'configs', '*', '*.py')):
        if '/demo/' in path or '/deploy/' in path:
            continue
        cfg = Config.fromfile(path)
        init_cfg = cfg.model.backbone.get('init_cfg') or {}
        if isinstance(init_cfg, dict) and init_cfg.get('checkpoint'):
            used.add(init_cfg['checkpoint'])
    for path in glob.glob(osp.join(REPO, 'configs', '*', 'metafile.yml')):
        for model in yaml.safe_load(open(path))['Models']:
            used.add(model.get('Weights'))
            source = model.get('Converted From', {}).get('Weights', '')
            used.add(source.split(' ')[0])
    missing = [r.url for r in RELEASES if r.url and r.url not in used]
    assert not missing, missing
