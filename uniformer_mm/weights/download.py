"""Download published checkpoints: cached, checked, rank 0 first.

MMEngine's http(s) loader goes through ``torch.hub``, which loads with
``weights_only=False``, checks no hash and waits forever on a silent
server. Ours (registered for ``http://`` / ``https://`` in MMEngine's
``CheckpointLoader`` by :func:`~uniformer_mm.weights.safe_load.
guard_mmengine_checkpoint_loaders`, so ``init_cfg``, ``load_from`` and
``mim test --checkpoint URL`` use it):

* caches in torch hub's checkpoint folder (``$TORCH_HOME/hub/checkpoints``),
  where MMEngine and torch.hub cache too, with a progress bar on a terminal;
* in a distributed run, rank 0 downloads while the others wait;
* checks the sha256 prefix of the release table, or of a hash-suffixed
  OpenMMLab file name, and keeps nothing that does not match (a truncated
  or altered file never reaches the cache);
* gives up on a silent server after ``UNIFORMER_MM_DOWNLOAD_TIMEOUT``
  seconds (default 30) and says where to get the file by hand.
"""
import hashlib
import http.client
import os
import os.path as osp
import re
import sys
import tempfile
import urllib.error
import urllib.request
from typing import Optional
from urllib.parse import urlparse

import torch

from .releases import RELEASES, download_failed_message

#: OpenMMLab publish_model names: ``<name>_<date>-<sha8>.pth`` (mmaction2,
#: mmpretrain, mmdet) or ``<name>-<sha8>_<date>.pth`` (mmpose).
_HASH_IN_NAME = re.compile(r'-([0-9a-f]{8,64})(?:_\d{8})?\.pth$')
_CHUNK = 1 << 20


class DownloadError(RuntimeError):
    """A checkpoint could not be downloaded, or not as published."""


def is_url(path) -> bool:
    return str(path).startswith(('http://', 'https://'))


def expected_sha256(url: str) -> Optional[str]:
    """Leading hex digits of the sha256 the file at ``url`` must have."""
    release = next((r for r in RELEASES if r.url == url), None)
    if release is not None and release.sha256:
        return release.sha256
    match = _HASH_IN_NAME.search(osp.basename(urlparse(url).path))
    return match.group(1) if match else None


def cache_dir() -> str:
    """torch hub's checkpoint folder (``$TORCH_HOME/hub/checkpoints``)."""
    return osp.join(torch.hub.get_dir(), 'checkpoints')


def _timeout() -> float:
    return float(os.environ.get('UNIFORMER_MM_DOWNLOAD_TIMEOUT', 30))


def _fetch(url: str, path: str, progress: bool) -> None:
    """Download ``url`` to ``path`` through a temporary file, checking its
    length and hash; ``path`` appears complete or not at all."""
    expected = expected_sha256(url)
    folder = osp.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=folder, suffix='.part')
    try:
        request = urllib.request.Request(
            url, headers={'User-Agent': 'uniformer_mm'})
        digest, size = hashlib.sha256(), 0
        with os.fdopen(handle, 'wb') as out, \
                urllib.request.urlopen(request, timeout=_timeout()) as reply:
            length = reply.headers.get('Content-Length')
            total = int(length) if length and length.isdigit() else None
            bar = _progress_bar(total, osp.basename(path)) if progress \
                else None
            while True:
                chunk = reply.read(_CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if bar is not None:
                    bar.update(len(chunk))
            if bar is not None:
                bar.close()
        if total is not None and size != total:
            raise DownloadError(
                f'{url}: received {size} of {total} bytes (truncated)')
        actual = digest.hexdigest()
        if expected and not actual.startswith(expected):
            raise DownloadError(
                f'{url}: sha256 {actual[:len(expected)]}... does not match '
                f'the published {expected}...: the file is truncated or '
                'altered; nothing was kept. Download it again, or from the '
                'page that publishes it')
        os.replace(partial, path)
    except (urllib.error.URLError, http.client.HTTPException,
            OSError) as error:
        raise DownloadError(download_failed_message(url, error)) from None
    finally:
        if osp.exists(partial):
            os.remove(partial)


def _progress_bar(total, name):
    from tqdm import tqdm
    return tqdm(total=total, unit='B', unit_scale=True, unit_divisor=1024,
                desc=f'downloading {name}', file=sys.stderr)


def download(url: str, model_dir: Optional[str] = None,
             progress: Optional[bool] = None) -> str:
    """The local path of ``url``'s file, downloaded into the cache first
    if it is not there. In a distributed run rank 0 downloads first.

    Args:
        url: http(s) URL.
        model_dir: cache folder; default :func:`cache_dir`.
        progress: show a progress bar; default: when stderr is a terminal.

    Raises:
        DownloadError: the server did not give the whole file, or a file
            whose hash differs from the published one; the message says how
            to get the file by hand.
    """
    from mmengine.dist import barrier, get_dist_info
    name = osp.basename(urlparse(url).path)
    if not name:
        raise DownloadError(f'{url}: the URL names no file')
    path = osp.join(model_dir or cache_dir(), name)
    progress = sys.stderr.isatty() if progress is None else progress
    rank, world_size = get_dist_info()
    if rank == 0 and not osp.isfile(path):
        _fetch(url, path, progress)
    if world_size > 1:
        barrier()
        if not osp.isfile(path):  # rank 0 failed, or another file system
            _fetch(url, path, progress)
    return path


def load_from_http(filename: str, map_location=None, model_dir=None,
                   progress=None):
    """``CheckpointLoader`` scheme loader for http(s): :func:`download`,
    then ``torch.load(weights_only=True)``."""
    path = download(filename, model_dir, progress)
    return torch.load(path, map_location=map_location, weights_only=True)
