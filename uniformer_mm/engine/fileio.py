"""Checkpoint files that appear complete or not at all.

``AtomicLocalBackend`` is MMEngine's ``LocalBackend`` whose writes go to a
temporary file next to the target, fsynced, then renamed over it, so a run
killed while saving leaves the previous checkpoint and ``last_checkpoint``
pointer intact. It is registered (at ``import uniformer_mm``) as the
MMEngine file backend ``'uniformer_mm_atomic_local'``; the paper configs
use it with ``default_hooks.checkpoint.backend_args=dict(backend=...)``, so
``tools/train.py`` and ``mim train`` save the same way.
"""
import contextlib
import os
import os.path as osp
import tempfile

from mmengine.fileio import LocalBackend, register_backend
from mmengine.fileio.backends import backends

ATOMIC_BACKEND = 'uniformer_mm_atomic_local'


class AtomicLocalBackend(LocalBackend):
    """``LocalBackend`` with atomic ``put`` / ``put_text``."""

    def put(self, obj: bytes, filepath) -> None:
        self._atomic(filepath, 'wb', obj)

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        self._atomic(filepath, 'w', obj, encoding=encoding)

    @staticmethod
    def _atomic(filepath, mode: str, obj, encoding=None) -> None:
        filepath = str(filepath)
        folder = osp.dirname(osp.abspath(filepath))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f'.{osp.basename(filepath)}.', suffix='.part', dir=folder)
        try:
            with os.fdopen(fd, mode, encoding=encoding) as f:
                f.write(obj)
                f.flush()
                os.fsync(f.fileno())
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600 files
            os.replace(tmp, filepath)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise


if ATOMIC_BACKEND not in backends:
    register_backend(ATOMIC_BACKEND, AtomicLocalBackend)
