"""uniformer_mm's registry: a child of MMEngine's root, its scoped names
resolve from every toolbox, nothing registered outside its scope."""
import importlib

import pytest
import torch.nn as nn
from mmengine.registry import MODELS as ROOT

import uniformer_mm
from uniformer_mm.registry import MODELS
from uniformer_mm.utils.toolboxes import TOOLBOX_REGISTRIES

# toolbox default scope -> module holding its MODELS registry


def test_registry_is_a_child_of_the_root():
    assert MODELS.scope == 'uniformer_mm'
    assert MODELS.parent is ROOT
    assert ROOT.children['uniformer_mm'] is MODELS


@pytest.fixture(scope='module')
def tiny_module():
    """A trivial module registered only for this test."""

    class FoundationProbe(nn.Module):

        def forward(self, x):
            return x

    MODELS.register_module(module=FoundationProbe)
    yield FoundationProbe
    MODELS._module_dict.pop('FoundationProbe')


@pytest.mark.parametrize('scope', sorted(TOOLBOX_REGISTRIES))
def test_scoped_names_resolve_from_every_toolbox(scope, tiny_module):
    registry = importlib.import_module(TOOLBOX_REGISTRIES[scope]).MODELS
    probe = registry.build(dict(type='uniformer_mm.FoundationProbe'))
    assert isinstance(probe, tiny_module)
    backbone = registry.build(
        dict(type='uniformer_mm.UniFormer',
             arch=dict(depths=[1, 1, 1, 1], embed_dims=[8, 16, 24, 32],
                       head_dim=8, mlp_ratio=2)))
    assert isinstance(backbone, uniformer_mm.models.UniFormer)


def test_unscoped_name_keeps_mmaction2s_own_uniformer():
    from mmaction.registry import MODELS as ACTION
    theirs = ACTION.get('UniFormer')
    assert theirs is not None and theirs is not uniformer_mm.models.UniFormer
    assert theirs.__module__.startswith('mmaction.')
    ours = uniformer_mm.models.UniFormer
    assert ACTION.get('uniformer_mm.UniFormer') is ours


@pytest.mark.parametrize('scope', sorted(TOOLBOX_REGISTRIES))
def test_nothing_is_registered_outside_our_scope(scope):
    """Our modules live in our registry only: no toolbox registry (nor
    MMEngine's root) holds a uniformer_mm class."""
    registry = importlib.import_module(TOOLBOX_REGISTRIES[scope]).MODELS
    for owner in (registry, ROOT):
        leaked = [name for name, cls in owner._module_dict.items()
                  if getattr(cls, '__module__', '').startswith('uniformer_mm')]
        assert not leaked, (owner.scope, leaked)
    assert MODELS.get('UniFormer') is uniformer_mm.models.UniFormer
