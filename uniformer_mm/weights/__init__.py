"""Everything about weights: reading checkpoints safely (more to follow)."""
from .safe_load import (UnsafeCheckpointError,
                        guard_mmengine_checkpoint_loaders,
                        load_checkpoint_file, mmengine_checkpoint_globals)

__all__ = [
    'UnsafeCheckpointError', 'guard_mmengine_checkpoint_loaders',
    'load_checkpoint_file', 'mmengine_checkpoint_globals'
]
