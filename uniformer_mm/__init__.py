"""UniFormer as a backbone of the OpenMMLab 2.x toolboxes.

Importing the package registers ``uniformer_mm.UniFormer`` (and the heads that
the toolboxes lack), the data transforms (``uniformer_mm.ClipRandAugment``,
...), the hooks (``uniformer_mm.PretrainedHook``), the optimizer-wrapper
constructors (``uniformer_mm.LayerDecayOptimWrapperConstructor``, ...) and
``uniformer_mm.FSDPStrategy`` in the ``uniformer_mm`` registry scope, and
allow-lists the classes stored in MMEngine checkpoints for
``torch.load(weights_only=True)``.
"""
from .utils.checkpoint_safety import allow_mmengine_checkpoint_classes
from .version import __version__

allow_mmengine_checkpoint_classes()

from . import datasets  # noqa: E402,F401  (registers the transforms)
from . import engine  # noqa: E402,F401  (hooks, optimizers, strategy)
from . import models  # noqa: E402,F401  (registers the modules)
from .registry import (  # noqa: E402
    HOOKS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS, STRATEGIES, TRANSFORMS)

__all__ = [
    '__version__', 'HOOKS', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'STRATEGIES', 'TRANSFORMS'
]
