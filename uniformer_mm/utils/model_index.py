"""Our image classification configs in mmpretrain's model hub.

After ``import uniformer_mm``, ``mmpretrain.list_models('uniformer*')`` lists
the configs of ``configs/cls/metafile.yml`` and
``mmpretrain.get_model('uniformer_s_300e_in1k', pretrained='local.pth')``
builds one by name (``pretrained=True`` loads the metafile's ``Weights``).
Only the classification metafile is registered: the hub builds every model
in mmpretrain's scope. The configs are read from the package's ``.mim``
folder (links into the repository in a source checkout, copies in a
wheel), so a non-editable install keeps them.
"""
import os.path as osp
from typing import List

MIM_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), '.mim')
CLS_METAFILE = osp.join(MIM_DIR, 'configs', 'cls', 'metafile.yml')

_registered: List[str] = []


def register_mmpretrain_models(metafile: str = CLS_METAFILE) -> List[str]:
    """Register ``metafile`` with mmpretrain's ``ModelHub`` (once).

    Returns:
        The registered model names (empty when mmpretrain is not
        installed, or the package has no configs).
    """
    if _registered or not osp.isfile(metafile):
        return list(_registered)
    try:
        from mmpretrain.apis import ModelHub
        from modelindex.load_model_index import load
    except ImportError:
        return []
    ModelHub.register_model_index(metafile, config_prefix=MIM_DIR)
    _registered.extend(model.name.lower() for model in load(metafile).models)
    return list(_registered)
