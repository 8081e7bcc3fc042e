"""Our image classification configs in mmpretrain's model hub.

After ``import uniformer_mm``, ``mmpretrain.list_models('uniformer*')`` lists
the configs of ``configs/cls/metafile.yml`` and
``mmpretrain.get_model('uniformer_s_300e_in1k', pretrained='local.pth')``
builds one by name (``pretrained=True`` loads the metafile's ``Weights``,
the converted checkpoint under ``checkpoints/``). Only the classification
metafile is registered: the hub builds every model in mmpretrain's scope.
The configs live in the repository (an editable install, as
``tools/install.sh`` makes); without them nothing is registered.
"""
import os.path as osp
from typing import List

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CLS_METAFILE = osp.join(REPO_ROOT, 'configs', 'cls', 'metafile.yml')

_registered: List[str] = []


def register_mmpretrain_models(metafile: str = CLS_METAFILE) -> List[str]:
    """Register ``metafile`` with mmpretrain's ``ModelHub`` (once).

    Returns:
        The registered model names (empty when mmpretrain or the repository
        configs are not there).
    """
    if _registered or not osp.isfile(metafile):
        return list(_registered)
    try:
        from mmpretrain.apis import ModelHub
        from modelindex.load_model_index import load
    except ImportError:
        return []
    ModelHub.register_model_index(metafile, config_prefix=REPO_ROOT)
    _registered.extend(model.name.lower() for model in load(metafile).models)
    return list(_registered)
