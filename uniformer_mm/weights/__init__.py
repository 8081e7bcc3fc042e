"""Everything about UniFormer weights, in one place.

* :mod:`.safe_load`: reading any checkpoint without running code from it;
  MMEngine's checkpoint loaders guarded on import.
* :mod:`.releases`: the table of published files (URL or manual, hash,
  layout, source) and the messages that point users to them.
* :mod:`.download`: cached, hash-checked downloads, rank 0 first.
* :mod:`.loading`: the one backbone load path (read -> unwrap -> select ->
  ``load_state_dict``); :mod:`.fitting`: the variant check, 2D -> 3D
  inflation (:mod:`.inflation`) and load report run by the backbone's
  load pre-hook; :mod:`.containers`: release containers.
* :mod:`.pretrained`: which file a backbone starts from (config rules).
* :mod:`.conversion`: official / hosted checkpoints -> toolbox models, with
  :mod:`.class_orders` and :mod:`.dataset_meta`.
"""
from .containers import backbone_state_dict, unwrap_state_dict
from .conversion import (KINDS, TASKS, convert_official_checkpoint,
                         convert_release, identify_checkpoint, num_classes,
                         reorder_classes)
from .download import DownloadError, download, expected_sha256
from .fitting import describe_state_dict, fit_backbone_state
from .inflation import inflate_state_dict, inflate_weight
from .loading import load_backbone_checkpoint, read_checkpoint
from .pretrained import apply_pretrained, check_pretrained_files
from .releases import RELEASES, Release, find_release
from .safe_load import (UnsafeCheckpointError,
                        guard_mmengine_checkpoint_loaders,
                        load_checkpoint_file, mmengine_checkpoint_globals)

__all__ = [
    'backbone_state_dict', 'unwrap_state_dict', 'KINDS', 'TASKS',
    'convert_official_checkpoint', 'convert_release', 'identify_checkpoint',
    'num_classes', 'reorder_classes', 'DownloadError', 'download',
    'expected_sha256', 'describe_state_dict', 'fit_backbone_state',
    'inflate_state_dict', 'inflate_weight', 'load_backbone_checkpoint',
    'read_checkpoint', 'apply_pretrained', 'check_pretrained_files',
    'RELEASES', 'Release', 'find_release', 'UnsafeCheckpointError',
    'guard_mmengine_checkpoint_loaders', 'load_checkpoint_file',
    'mmengine_checkpoint_globals'
]
