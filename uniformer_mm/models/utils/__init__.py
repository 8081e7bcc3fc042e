from .checkpoint import (backbone_state_dict, describe_state_dict,
                         inflate_state_dict, inflate_weight,
                         load_backbone_checkpoint, read_checkpoint,
                         unwrap_state_dict)
from .convert import (TASKS, convert_official_checkpoint, convert_release,
                      num_classes, reorder_classes)
from .weight_init import SplitAttentionInit

__all__ = [
    'backbone_state_dict', 'describe_state_dict', 'inflate_state_dict',
    'inflate_weight', 'load_backbone_checkpoint', 'read_checkpoint',
    'unwrap_state_dict', 'TASKS', 'convert_official_checkpoint',
    'convert_release', 'num_classes', 'reorder_classes', 'SplitAttentionInit'
]
