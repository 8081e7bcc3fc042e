"""The OpenMMLab 2.x toolboxes uniformer_mm plugs into, by registry scope."""
import importlib
from types import ModuleType

#: scope name (a config's ``default_scope``) -> the toolbox's registry module
TOOLBOX_REGISTRIES = {
    'mmpretrain': 'mmpretrain.registry',
    'mmdet': 'mmdet.registry',
    'mmseg': 'mmseg.registry',
    'mmpose': 'mmpose.registry',
    'mmaction': 'mmaction.registry',
}


def toolbox_registry(scope: str) -> ModuleType:
    """The registry module of the toolbox whose scope is ``scope``.

    Raises:
        KeyError: ``scope`` is not one of :data:`TOOLBOX_REGISTRIES`.
    """
    if scope not in TOOLBOX_REGISTRIES:
        raise KeyError(f'unknown toolbox scope {scope!r}; expected one of '
                       f'{sorted(TOOLBOX_REGISTRIES)}')
    return importlib.import_module(TOOLBOX_REGISTRIES[scope])
