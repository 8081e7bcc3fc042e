"""UniFormer as a backbone of the OpenMMLab 2.x toolboxes.

Importing the package registers ``uniformer_mm.UniFormer`` (and the heads that
the toolboxes lack), the data transforms (``uniformer_mm.ClipRandAugment``,
...), the hooks (``uniformer_mm.PretrainedHook``, ...), the optimizer-wrapper
constructors (``uniformer_mm.LayerDecayOptimWrapperConstructor``, ...),
``uniformer_mm.FSDPStrategy`` and the weight initialisers in the
``uniformer_mm`` registry scope, allow-lists the classes stored in MMEngine
checkpoints for ``torch.load(weights_only=True)``, and lists the
classification configs in mmpretrain's model hub
(``mmpretrain.list_models('uniformer*')``).
"""
from .utils.checkpoint_safety import allow_mmengine_checkpoint_classes
from .version import __version__

allow_mmengine_checkpoint_classes()

from . import datasets  # noqa: E402,F401  (registers the transforms)
from . import engine  # noqa: E402,F401  (hooks, optimizers, strategy)
from . import models  # noqa: E402,F401  (registers the modules)
from .registry import (HOOKS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS,  # noqa: E402
                       STRATEGIES, TRANSFORMS, WEIGHT_INITIALIZERS)
from .utils.model_index import register_mmpretrain_models  # noqa: E402

register_mmpretrain_models()

__all__ = [
    '__version__', 'HOOKS', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'STRATEGIES', 'TRANSFORMS', 'WEIGHT_INITIALIZERS'
]
