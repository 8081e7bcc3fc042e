"""Read checkpoints without running anything from them.

``torch.load(weights_only=True)`` (torch's default since 2.6) builds tensors
and plain containers and calls nothing that is not allow-listed. MMEngine's
Runner checkpoints hold more than that: the message hub pickles
``HistoryBuffer`` objects (numpy arrays, and the four statistics methods as
``getattr(HistoryBuffer, 'mean')``), and ``dataset_meta`` may hold numpy
arrays (mmpose's keypoint sigmas and colours). Allow-listing those globals
as they are is not safe: ``builtins.getattr`` reaches module dictionaries
through any object, ``HistoryBuffer.__setstate__`` writes class-level state
and any attribute of the instance, and numpy's dtype ``__setstate__``
accepts object fields over integer ones (forged pointers). Registering
them with ``torch.serialization.add_safe_globals`` would also make every
``torch.load`` of every library in the process trust them.

Here the pickle names of those globals map to *stand-ins* that accept
exactly what MMEngine writes and refuse everything else:

* ``builtins.getattr`` resolves ``HistoryBuffer.min/max/current/mean``
  only;
* ``mmengine.logging.history_buffer.HistoryBuffer`` cannot be called; its
  state must be MMEngine's (a ``max_length`` int, two 1-D numeric arrays of
  equal length, MMEngine's own statistics methods), and it becomes a plain
  ``HistoryBuffer``;
* ``numpy.dtype`` accepts numeric dtypes (bool, int, uint, float, complex)
  with their canonical state; ``numpy.ndarray`` / ``_reconstruct`` /
  ``scalar`` build arrays and scalars of those from their raw bytes.

The stand-ins are registered only while :func:`mmengine_checkpoint_globals`
is active (ref-counted, so concurrent loads share it; a user's own
registrations of the same names are set aside and put back), and they work
only inside :func:`load_checkpoint_file`, which also replaces the
placeholders they leave by real arrays and buffers. MMEngine's
``CheckpointLoader`` (``Runner.resume`` / ``load_from``,
``mmengine.runner.load_checkpoint``, the toolboxes' inferencers and
``init_model`` functions) reads through it once
:func:`guard_mmengine_checkpoint_loaders` has run (``import uniformer_mm``
does). A plain ``torch.load`` elsewhere in the process behaves exactly as
torch's default.

``meta['config']`` (the config text of mmcv 1.x checkpoints) is dropped
from what these loaders return: MMEngine's ``Runner.resume`` would execute
it as a Python config. MMEngine 2.x checkpoints store their config as
``meta['cfg']``, which nothing executes.
"""
import contextlib
import contextvars
import math
import os.path as osp
import pickle
import threading
from typing import Any, Callable, Dict, Iterator, List, Optional

import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.logging.history_buffer import HistoryBuffer

from .download import load_from_http

__all__ = [
    'UnsafeCheckpointError', 'load_checkpoint_file',
    'mmengine_checkpoint_globals', 'guard_mmengine_checkpoint_loaders'
]

#: The statistics methods MMEngine pickles with every HistoryBuffer.
STATISTICS_METHODS = ('min', 'max', 'current', 'mean')

#: dtype kinds an MMEngine checkpoint may hold: bool, int, uint, float,
#: complex. No object, void (structured), string or datetime dtypes.
NUMERIC_KINDS = 'biufc'


class UnsafeCheckpointError(ValueError):
    """A checkpoint holds something a genuine checkpoint never does.

    Raised while the file is read, before anything from it is used; nothing
    it names was called. Not an ``UnpicklingError``, so ``torch.load`` does
    not replace the message with its advice to load with
    ``weights_only=False``.
    """


class _LoadSession:
    """The placeholders created while one checkpoint is read."""

    def __init__(self):
        self.placeholders: List[Any] = []


_session: contextvars.ContextVar[Optional[_LoadSession]] = \
    contextvars.ContextVar('uniformer_mm_checkpoint_session', default=None)


def _current_session() -> _LoadSession:
    session = _session.get()
    if session is None:
        raise UnsafeCheckpointError(
            'MMEngine checkpoint classes are read only through '
            'uniformer_mm.weights.load_checkpoint_file (and the MMEngine '
            'checkpoint loaders it guards), not by a plain torch.load')
    return session


def _refuse(what: str) -> UnsafeCheckpointError:
    return UnsafeCheckpointError(
        f'checkpoint contains {what}, which a genuine MMEngine checkpoint '
        'never does')


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + '...'


# ------------------------------------------------------------ numpy


class _NDArrayName:
    """Stands for ``numpy.ndarray``: only a marker for ``_reconstruct``."""

    def __new__(cls, *args, **kwargs):
        raise _refuse(f'a call to numpy.ndarray{_short(args)}')


class _DTypeSpec:
    """A numeric dtype read from a checkpoint (``.dtype`` once built)."""

    def __new__(cls, *args, **kwargs):
        raise _refuse('a dtype placeholder constructed by the file')

    @classmethod
    def create(cls, dtype: np.dtype) -> '_DTypeSpec':
        spec = object.__new__(cls)
        spec.candidate, spec.dtype = dtype, None
        _current_session().placeholders.append(spec)
        return spec

    def __setstate__(self, state) -> None:
        if self.dtype is not None:
            raise _refuse('a second state for one dtype')
        byteorder = state[1] if isinstance(state, tuple) and len(
            state) > 1 else None
        if byteorder not in ('<', '>', '|', '='):
            raise _refuse(f'a dtype state {_short(state)}')
        dtype = self.candidate.newbyteorder(byteorder)
        if state != dtype.__reduce__()[2]:
            raise _refuse(f'a dtype state {_short(state)} (fields, '
                          'subarrays or flags on a numeric dtype)')
        self.dtype = dtype


def _dtype(code, align=False, copy=True) -> _DTypeSpec:
    """Stands for ``numpy.dtype(code, align, copy)``: numeric codes only."""
    if not (isinstance(code, str) and isinstance(align, bool)
            and isinstance(copy, bool)):
        raise _refuse(f'a call to numpy.dtype{_short((code, align, copy))}')
    try:
        dtype = np.dtype(code)
    except TypeError as error:
        raise _refuse(f'a call to numpy.dtype({code!r})') from error
    if dtype.kind not in NUMERIC_KINDS or dtype.fields or dtype.subdtype:
        raise _refuse(f'the non-numeric numpy dtype {code!r}')
    return _DTypeSpec.create(dtype)


def _built_dtype(spec) -> np.dtype:
    if not isinstance(spec, _DTypeSpec) or spec.dtype is None:
        raise _refuse(f'an array or scalar whose dtype is {_short(spec)}')
    return spec.dtype


class _ArraySpec:
    """A numeric array read from a checkpoint (``.array`` once built)."""

    def __new__(cls, *args, **kwargs):
        raise _refuse('an array placeholder constructed by the file')

    @classmethod
    def create(cls) -> '_ArraySpec':
        spec = object.__new__(cls)
        spec.array = None
        _current_session().placeholders.append(spec)
        return spec

    def __setstate__(self, state) -> None:
        if self.array is not None:
            raise _refuse('a second state for one array')
        if not (isinstance(state, tuple) and len(state) == 5
                and state[0] == 1):
            raise _refuse(f'an array state {_short(state)}')
        _, shape, dtype, fortran, data = state
        dtype = _built_dtype(dtype)
        if not (isinstance(shape, tuple) and all(
                type(n) is int and n >= 0 for n in shape)
                and isinstance(fortran, bool)
                and isinstance(data, (bytes, bytearray))):
            raise _refuse(f'an array state {_short(state)}')
        if len(data) != math.prod(shape) * dtype.itemsize:
            raise _refuse(f'an array of shape {shape} and dtype {dtype} '
                          f'with {len(data)} bytes of data')
        self.array = np.frombuffer(bytes(data), dtype=dtype).reshape(
            shape, order='F' if fortran else 'C').copy(order='K')


def _reconstruct(cls, shape, typecode) -> _ArraySpec:
    """Stands for numpy's ``_reconstruct(ndarray, (0,), b'b')``."""
    if cls is not _NDArrayName or shape != (0, ) or typecode != b'b':
        raise _refuse('a call to numpy _reconstruct'
                      f'{_short((cls, shape, typecode))}')
    return _ArraySpec.create()


def _scalar(dtype, data=None) -> np.generic:
    """Stands for numpy's ``scalar(dtype, raw bytes)``."""
    dtype = _built_dtype(dtype)
    if not isinstance(data, bytes) or len(data) != dtype.itemsize:
        raise _refuse(f'a numpy scalar of dtype {dtype} from {_short(data)}')
    return np.frombuffer(data, dtype=dtype)[0]


# ----------------------------------------------------- HistoryBuffer


def _statistics_method(owner, name) -> Callable:
    """Stands for ``builtins.getattr``: only ``HistoryBuffer.<statistic>``.
    """
    if owner is _HistoryBufferSpec and name in STATISTICS_METHODS:
        return getattr(HistoryBuffer, name)
    raise _refuse(f'a call to getattr({_short(owner)}, {_short(name)})')


class _HistoryBufferSpec:
    """Stands for ``HistoryBuffer``: built from MMEngine's state only.

    A file can create one the way ``pickle`` recreates any object (no
    arguments, then its state), never by calling the class.
    """

    def __new__(cls, *args, **kwargs):
        if args or kwargs:
            raise _refuse(f'a call to HistoryBuffer{_short(args)}')
        spec = object.__new__(cls)
        spec.buffer = None
        _current_session().placeholders.append(spec)
        return spec

    def __init__(self, *args, **kwargs):
        raise _refuse(f'a call to HistoryBuffer{_short(args)}')

    def __setstate__(self, state) -> None:
        if self.buffer is not None:
            raise _refuse('a second state for one HistoryBuffer')
        keys = {'max_length', '_log_history', '_count_history'}
        if not (isinstance(state, dict) and keys <= set(state) <=
                keys | {'statistics_methods'}):
            keys = list(state) if isinstance(state, dict) else state
            raise _refuse(f'a HistoryBuffer state with keys {_short(keys)}')
        methods = state.get('statistics_methods', {})
        if not isinstance(methods, dict) or any(
                name not in STATISTICS_METHODS
                or method is not getattr(HistoryBuffer, name)
                for name, method in methods.items()):
            raise _refuse(
                f'HistoryBuffer statistics methods {_short(methods)}')
        max_length = state['max_length']
        if type(max_length) is not int or max_length < 1:
            raise _refuse(f'a HistoryBuffer max_length {_short(max_length)}')
        history = []
        for key in ('_log_history', '_count_history'):
            spec = state[key]
            if not isinstance(spec, _ArraySpec) or spec.array is None or \
                    spec.array.ndim != 1:
                raise _refuse(f'a HistoryBuffer {key} {_short(spec)}')
            history.append(spec.array)
        if len(history[0]) != len(history[1]):
            raise _refuse('a HistoryBuffer whose log and count histories '
                          'differ in length')
        buffer = HistoryBuffer.__new__(HistoryBuffer)
        buffer._set_default_statistics()  # class-level, as MMEngine does
        buffer.__dict__.update(max_length=max_length,
                               _log_history=history[0],
                               _count_history=history[1])
        self.buffer = buffer


#: pickle name -> stand-in. numpy 1 pickles ``numpy.core.multiarray``,
#: numpy 2 ``numpy._core.multiarray``.
STAND_INS: Dict[str, Any] = {
    'builtins.getattr': _statistics_method,
    'mmengine.logging.history_buffer.HistoryBuffer': _HistoryBufferSpec,
    'numpy.ndarray': _NDArrayName,
    'numpy.dtype': _dtype,
    'numpy.core.multiarray._reconstruct': _reconstruct,
    'numpy._core.multiarray._reconstruct': _reconstruct,
    'numpy.core.multiarray.scalar': _scalar,
    'numpy._core.multiarray.scalar': _scalar,
}
# BUILD needs the placeholder types registered too; their constructors
# refuse, so a file that names them gets nothing.
for _placeholder in (_DTypeSpec, _ArraySpec):
    STAND_INS[f'{__name__}.{_placeholder.__qualname__}'] = _placeholder
_ENTRIES = [(obj, name) for name, obj in STAND_INS.items()]


def _pickle_name(entry) -> str:
    """The name an ``add_safe_globals`` entry answers to (torch's rule)."""
    if isinstance(entry, tuple):
        return entry[1]
    return f'{entry.__module__}.{entry.__qualname__}'


_lock = threading.Lock()
_active = 0
_set_aside: List[Any] = []


def _replace_safe_globals(remove: List[Any], add: List[Any]) -> None:
    keep = [g for g in torch.serialization.get_safe_globals()
            if g not in remove]
    torch.serialization.clear_safe_globals()
    torch.serialization.add_safe_globals(keep + add)


@contextlib.contextmanager
def mmengine_checkpoint_globals() -> Iterator[None]:
    """Register the stand-ins for the duration of the block.

    Ref-counted: the first of concurrent blocks registers them, the last
    removes them. A user's own registrations under the same pickle names
    (``numpy.dtype``, ``builtins.getattr``, ...) are set aside meanwhile
    and put back; every other registration is left alone.
    """
    global _active, _set_aside
    with _lock:
        if _active == 0:
            _set_aside = [g for g in torch.serialization.get_safe_globals()
                          if _pickle_name(g) in STAND_INS]
            _replace_safe_globals(_set_aside, _ENTRIES)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _replace_safe_globals(_ENTRIES, _set_aside)
                _set_aside = []


# ------------------------------------------------------------ loading


def _resolve(obj: Any, done: Dict[int, Any]) -> Any:
    """``obj`` with every placeholder replaced by what it stands for."""
    if isinstance(obj, (torch.Tensor, str, bytes, int, float, type(None))):
        return obj
    key = id(obj)
    if key in done:
        return done[key]
    if isinstance(obj, _ArraySpec):
        if obj.array is None:
            raise _refuse('an array without its data')
        result = obj.array
    elif isinstance(obj, _HistoryBufferSpec):
        if obj.buffer is None:
            raise _refuse('a HistoryBuffer without its state')
        result = obj.buffer
    elif isinstance(obj, _DTypeSpec):
        result = _built_dtype(obj)
    elif isinstance(obj, dict):  # dict, OrderedDict, Counter: in place
        done[key] = obj
        items = [(_resolve(k, done), _resolve(v, done))
                 for k, v in obj.items()]
        obj.clear()
        obj.update(items)
        return obj
    elif isinstance(obj, list):
        done[key] = obj
        obj[:] = [_resolve(v, done) for v in obj]
        return obj
    elif type(obj) in (tuple, set, frozenset):
        result = type(obj)(_resolve(v, done) for v in obj)
    else:
        return obj
    done[key] = result
    return result


def _drop_config_text(checkpoint: Any, source: str) -> None:
    """Remove ``meta['config']``, which ``Runner.resume`` would execute."""
    meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
    if isinstance(meta, dict) and 'config' in meta:
        meta.pop('config')
        print_log(
            f"{source}: ignored its meta['config'] (the config text of an "
            "mmcv 1.x checkpoint, which MMEngine's resume would execute as "
            'Python); the run uses your config',
            logger='current',
            level=30)


def _read_guarded(read: Callable[[], Any], source: str) -> Any:
    """Run ``read`` (a ``torch.load``) with the stand-ins and resolve."""
    session = _LoadSession()
    token = _session.set(session)
    try:
        with mmengine_checkpoint_globals():
            checkpoint = read()
        if session.placeholders:
            checkpoint = _resolve(checkpoint, {})
    except UnsafeCheckpointError as error:
        raise UnsafeCheckpointError(
            f'refused to load {source}: {error}; nothing from it was '
            'run') from None
    except RecursionError:
        raise UnsafeCheckpointError(
            f'refused to load {source}: nested too deeply') from None
    except pickle.UnpicklingError as error:
        raise _unloadable(source, error) from None
    finally:
        _session.reset(token)
    return checkpoint


def _unloadable(source: str, error: Exception) -> pickle.UnpicklingError:
    """torch's refusal, without its advice to set weights_only=False."""
    text = str(error)
    if 'GLOBAL ' in text:
        name = text.split('GLOBAL ', 1)[1].split(' ', 1)[0]
        reason = f'it names {name}, which is not allowed'
    else:
        reason = (text.strip().splitlines() or [type(error).__name__])[-1]
    return pickle.UnpicklingError(
        f'cannot load {source} without running code from it: '
        f'{reason[:300]}. Genuine MMEngine, OpenMMLab and official '
        'UniFormer checkpoints need nothing else; load it with '
        'weights_only=False only if you made the file yourself.')


def _names_mmengine_global(error: Exception) -> bool:
    """Whether torch refused a file for naming one of the stand-ins'
    globals (torch writes ``builtins.getattr`` as ``getattr``)."""
    text = str(error)
    return any(f'GLOBAL {name} ' in text
               for name in list(STAND_INS) + ['getattr'])


def load_checkpoint_file(file, map_location='cpu') -> Any:
    """Read a checkpoint file (any ``torch.save`` output) safely.

    First with torch's plain default (``weights_only=True``, nothing added):
    official releases, converted files and published OpenMMLab models load
    so. A file that torch refuses for naming MMEngine's checkpoint globals
    (a Runner checkpoint) is read again with the stand-ins; anything else
    is refused with the file's name and the reason.

    Args:
        file: path or seekable binary file object.
        map_location: as ``torch.load``.

    Raises:
        FileNotFoundError: ``file`` is a path that does not exist.
        UnsafeCheckpointError: the file holds what a genuine checkpoint
            never does (e.g. ``getattr(..., '__globals__')``).
        pickle.UnpicklingError: the file names a global that is neither
            torch's nor MMEngine's.
    """
    if isinstance(file, str):
        file = osp.expanduser(file)
        if not osp.isfile(file):
            raise FileNotFoundError(f'checkpoint file {file!r} not found')
        source = repr(file)
    else:
        source = repr(getattr(file, 'name', 'the checkpoint stream'))
    start = None if isinstance(file, str) else file.tell()

    def read():
        if start is not None:
            file.seek(start)
        return torch.load(file, map_location=map_location, weights_only=True)

    try:
        return read()
    except pickle.UnpicklingError as error:
        if not _names_mmengine_global(error):
            raise _unloadable(source, error) from None
    return _read_guarded(read, source)


# ------------------------------------------------ MMEngine's loaders


def _guarded_loader(loader: Callable) -> Callable:
    """Wrap a ``CheckpointLoader`` scheme loader with the stand-ins."""

    def load(filename, map_location=None, *args, **kwargs):
        checkpoint = _read_guarded(
            lambda: loader(filename, map_location, *args, **kwargs),
            repr(filename))
        _drop_config_text(checkpoint, repr(filename))
        return checkpoint

    load.__name__ = getattr(loader, '__name__', 'load')
    load.__doc__ = loader.__doc__
    load.uniformer_mm_guarded = True
    return load


def _load_from_local(filename, map_location=None):
    """MMEngine's local loader with ``weights_only=True`` explicit (so
    ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` cannot switch it off)."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return torch.load(filename, map_location=map_location, weights_only=True)


#: Scheme loaders replaced by ours (the rest are wrapped as they are).
_REPLACED = {'': _load_from_local, 'http://': load_from_http,
             'https://': load_from_http}


def guard_mmengine_checkpoint_loaders() -> None:
    """Make MMEngine's ``CheckpointLoader`` read through the stand-ins.

    Every registered scheme loader runs inside
    :func:`mmengine_checkpoint_globals` and returns resolved objects without
    ``meta['config']``; local files load with ``weights_only=True``
    explicitly, http(s) URLs through :func:`~uniformer_mm.weights.download.
    load_from_http` (hash-checked, weights only). Idempotent.
    """
    from mmengine.runner.checkpoint import CheckpointLoader
    schemes = dict(CheckpointLoader._schemes)
    for prefix, loader in schemes.items():
        if getattr(loader, 'uniformer_mm_guarded', False):
            continue
        loader = _REPLACED.get(prefix, loader)
        CheckpointLoader.register_scheme(
            prefix, _guarded_loader(loader), force=True)
