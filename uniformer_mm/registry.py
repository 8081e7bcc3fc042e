"""Registries of uniformer_mm, children of MMEngine's root registries.

Every OpenMMLab 2.x toolbox builds from its own child of the same roots, so a
config in any toolbox's default scope reaches our modules and data transforms
by the scoped name ``uniformer_mm.<Name>`` (after
``custom_imports=dict(imports=['uniformer_mm'])``).
A bare ``UniFormer`` keeps resolving to the toolbox's own entry (mmaction2 has
one), never to ours.
"""
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import STRATEGIES as MMENGINE_STRATEGIES
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

__all__ = [
    'MODELS', 'TRANSFORMS', 'HOOKS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'STRATEGIES', 'WEIGHT_INITIALIZERS', 'RUNNERS'
]

#: Backbones and heads of uniformer_mm.
MODELS = Registry(
    'model',
    parent=MMENGINE_MODELS,
    scope='uniformer_mm',
    locations=['uniformer_mm.models'])

#: Weight initialisers of uniformer_mm (``init_cfg`` types).
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMENGINE_WEIGHT_INITIALIZERS,
    scope='uniformer_mm',
    locations=['uniformer_mm.models'])

#: Data transforms of uniformer_mm.
TRANSFORMS = Registry(
    'transform',
    parent=MMENGINE_TRANSFORMS,
    scope='uniformer_mm',
    locations=['uniformer_mm.datasets'])

#: Runner hooks of uniformer_mm (pretrained weights, ...).
HOOKS = Registry(
    'hook',
    parent=MMENGINE_HOOKS,
    scope='uniformer_mm',
    locations=['uniformer_mm.engine'])

#: Optimizer-wrapper constructors of uniformer_mm (layer-wise lr decay).
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    scope='uniformer_mm',
    locations=['uniformer_mm.engine'])

#: FlexibleRunner strategies of uniformer_mm (FSDP that resumes).
STRATEGIES = Registry(
    'strategy',
    parent=MMENGINE_STRATEGIES,
    scope='uniformer_mm',
    locations=['uniformer_mm.engine'])

#: Runners of uniformer_mm (``runner_type = 'uniformer_mm.Runner'``): the
#: CPU-aware checks and adaptations every run gets, also under ``mim``.
RUNNERS = Registry(
    'runner',
    parent=MMENGINE_RUNNERS,
    scope='uniformer_mm',
    locations=['uniformer_mm.engine'])
