"""Deployment through MMDeploy and ONNX Runtime.

MMDeploy 1.3.1 is optional: ``tools/install.sh`` installs it with
``--no-deps`` into ``$VENV/extras/mmdeploy``, outside the default import path
(its ``protobuf<=3.20.2`` pin conflicts with onnx), like DeepSpeed.
:func:`import_mmdeploy` puts that folder on ``sys.path`` when ``mmdeploy`` is
not importable otherwise, and applies :mod:`.mmdeploy_compat` (torch 2.14
repairs), :mod:`.mmdet_rewrites` (post-processing that follows mmdet) and
:mod:`.mmpose_rewrites` (the model's flip test in the graph),
:mod:`.mmaction_rewrites` (clip averaging per sample).
Importing this package needs neither MMDeploy nor ONNX Runtime.

Usage (or ``tools/deployment/deploy.py``)::

    from uniformer_mm.deploy import deploy
    result = deploy('configs/deploy/classification_onnxruntime_dynamic.py',
                    'configs/demo/cls_demo.py', 'cls.pth', 'work_dirs/onnx',
                    test_inputs=['demo.png'])
    print(result.max_diff, result.within_tolerance)
"""
import importlib
import os
import os.path as osp
import sys

MMDEPLOY_VERSION = '1.3.1'


def mmdeploy_extras_dir() -> str:
    """Where ``tools/install.sh`` installs MMDeploy:
    ``$UNIFORMER_MM_MMDEPLOY`` or ``<venv>/extras/mmdeploy``."""
    return os.environ.get('UNIFORMER_MM_MMDEPLOY',
                          osp.join(sys.prefix, 'extras', 'mmdeploy'))


def mmdeploy_available() -> bool:
    """Whether :func:`import_mmdeploy` would find MMDeploy (imports
    nothing)."""
    return (importlib.util.find_spec('mmdeploy') is not None
            or osp.isdir(osp.join(mmdeploy_extras_dir(), 'mmdeploy')))


def import_mmdeploy():
    """Import ``mmdeploy`` with the project's repairs applied.

    Appends :func:`mmdeploy_extras_dir` to ``sys.path`` if ``mmdeploy`` is
    not importable from the path as it is.

    Raises:
        ImportError: MMDeploy is installed neither on the path nor in the
            extras folder; the message says how to install it.
    """
    if importlib.util.find_spec('mmdeploy') is None:
        extras = mmdeploy_extras_dir()
        if osp.isdir(osp.join(extras, 'mmdeploy')) and extras not in sys.path:
            sys.path.append(extras)
            importlib.invalidate_caches()
    try:
        import mmdeploy
    except ImportError as error:
        raise ImportError(
            f'uniformer_mm.deploy needs MMDeploy {MMDEPLOY_VERSION}, which is '
            f'not importable and not in {mmdeploy_extras_dir()}: run `bash '
            'tools/install.sh` (it installs MMDeploy there, off the default '
            'import path), or set UNIFORMER_MM_MMDEPLOY to the folder that '
            f'holds it ({error})') from error
    from . import (mmaction_rewrites, mmdeploy_compat, mmdet_rewrites,
                   mmpose_rewrites)
    mmdeploy_compat.apply()
    mmdet_rewrites.register()
    mmpose_rewrites.register()
    mmaction_rewrites.register()
    return mmdeploy


def deploy(*args, **kwargs):
    """See :func:`uniformer_mm.deploy.driver.deploy`."""
    from .driver import deploy as _deploy
    return _deploy(*args, **kwargs)


__all__ = ['deploy', 'import_mmdeploy', 'mmdeploy_available',
           'mmdeploy_extras_dir', 'MMDEPLOY_VERSION']
