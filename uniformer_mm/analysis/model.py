"""A config's model built as its toolbox's Runner builds it, and the input
shape of one sample."""
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import init_default_scope

from uniformer_mm.utils.errors import FixableError
from uniformer_mm.utils.toolboxes import TOOLBOX_REGISTRIES, toolbox_registry

__all__ = ['build_model', 'input_shape']


def build_model(cfg: Config) -> nn.Module:
    """Build ``cfg.model`` in its toolbox's scope, with a top-level
    ``data_preprocessor`` handed to the model as the Runner does."""
    scope = cfg.get('default_scope')
    if scope not in TOOLBOX_REGISTRIES:
        raise FixableError(f'unsupported default_scope {scope!r}; '
                           f'expected one of {sorted(TOOLBOX_REGISTRIES)}')
    init_default_scope(scope)
    model_cfg = cfg.model.copy()
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    return toolbox_registry(scope).MODELS.build(model_cfg)


def input_shape(cfg: Config, shape=None) -> tuple:
    """``(3, H, W)`` or ``(3, T, H, W)`` from ``--shape``: ``H W`` or one
    size for images, ``T H W`` for videos; 224x224 and 8x224x224 by
    default."""
    video = cfg.default_scope == 'mmaction'
    if shape is None:
        shape = [8, 224, 224] if video else [224, 224]
    shape = list(shape)
    if video:
        if len(shape) != 3:
            raise FixableError('video models take --shape T H W')
        return (3, ) + tuple(shape)
    if len(shape) == 1:
        shape = shape * 2
    if len(shape) != 2:
        raise FixableError('image models take --shape H W (or one size)')
    return (3, ) + tuple(shape)
