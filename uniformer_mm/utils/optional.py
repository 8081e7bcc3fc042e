"""Modules that need one particular toolbox."""
import importlib
from typing import List, Sequence

from mmengine.registry import Registry


def register_unavailable(registry: Registry, name: str, requirement: str,
                         error: ImportError) -> None:
    """Register ``name`` as a builder that raises ``error``'s cause.

    For a module whose toolbox failed to import: the rest of uniformer_mm
    stays usable, and a config naming the module fails with the reason
    instead of "not in the registry".
    """

    def unavailable(*args, **kwargs):
        raise ImportError(
            f'uniformer_mm.{name} needs {requirement}, whose import failed: '
            f'{error!r}; install or repair it (tools/install.sh does)'
        ) from error

    unavailable.__name__ = name
    registry.register_module(name=name, module=unavailable)


def import_optional(registry: Registry, module: str, names: Sequence[str],
                    requirement: str) -> List[str]:
    """Import ``module`` (which registers ``names``) if its toolbox imports.

    Returns:
        ``names`` when the module imported; otherwise each name is
        registered as unavailable (see :func:`register_unavailable`) and the
        list is empty.
    """
    try:
        importlib.import_module(module)
    except ImportError as error:
        for name in names:
            register_unavailable(registry, name, requirement, error)
        return []
    return list(names)
