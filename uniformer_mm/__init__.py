"""UniFormer as a backbone of the OpenMMLab 2.x toolboxes.

Importing the package registers ``uniformer_mm.UniFormer`` (and the heads that
the toolboxes lack), the data transforms (``uniformer_mm.ClipRandAugment``,
...), the hooks (``uniformer_mm.PretrainedHook``, ...), the optimizer-wrapper
constructors (``uniformer_mm.LayerDecayOptimWrapperConstructor``, ...),
``uniformer_mm.FSDPStrategy`` and the weight initialisers in the
``uniformer_mm`` registry scope, makes MMEngine's checkpoint loaders read
Runner checkpoints without running code from them
(:mod:`uniformer_mm.weights.safe_load`; torch's own allow-list is left
alone), and lists the classification configs in mmpretrain's model hub
(``mmpretrain.list_models('uniformer*')``).
"""
from .version import __version__
from .weights import guard_mmengine_checkpoint_loaders

guard_mmengine_checkpoint_loaders()

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
