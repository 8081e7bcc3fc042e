"""Let ``torch.load(weights_only=True)`` read MMEngine checkpoints.

torch >= 2.6 defaults to ``weights_only=True`` and MMEngine 0.10.7 calls
``torch.load`` without the argument, so loading any checkpoint that MMEngine
saved (``--resume``, ``load_from``, ``test.py``) fails on the classes its
message hub stores in ``meta``. We allow-list exactly those globals (found
with ``torch.serialization.get_unsafe_globals_in_checkpoint`` on a Runner
checkpoint) instead of disabling the check for every file a user loads
(``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` would re-enable arbitrary pickles).

``builtins.getattr`` is how numpy 2 pickles dtypes; the weights-only
unpickler still refuses to call anything that is not allow-listed, so it
only permits attribute reads.
"""
import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer

try:  # numpy 2
    from numpy._core.multiarray import _reconstruct, scalar
except ImportError:  # numpy 1
    from numpy.core.multiarray import _reconstruct, scalar

# numpy 2 pickles each dtype by its class (numpy.dtypes.Float64DType, ...).
_DTYPE_CLASSES = tuple({type(np.dtype(code)) for code in np.typecodes['All']})

MMENGINE_CHECKPOINT_GLOBALS = (HistoryBuffer, np.ndarray, np.dtype,
                               _reconstruct, scalar, getattr) + _DTYPE_CLASSES


def allow_mmengine_checkpoint_classes() -> None:
    """Register the globals of MMEngine checkpoints as safe (idempotent)."""
    torch.serialization.add_safe_globals(list(MMENGINE_CHECKPOINT_GLOBALS))
