"""The one load path of backbone weights: read, unwrap, select, load.

``read_checkpoint`` (a local file, or a URL through the cache) ->
``unwrap_state_dict`` (any release container) -> ``backbone_state_dict``
(the backbone part of a whole model or an official classifier) ->
``load_state_dict``, whose pre-hook (the backbone's) inflates 2D weights,
refuses another variant's and logs the report
(:func:`~uniformer_mm.weights.fitting.fit_backbone_state`, once per load).
"""
import os.path as osp
from typing import Optional

import torch.nn as nn
from mmengine.logging import print_log

from .containers import backbone_state_dict, unwrap_state_dict
from .download import download, is_url
from .safe_load import load_checkpoint_file


def read_checkpoint(path: str) -> dict:
    """Read a checkpoint file or URL without running code from it.

    Official releases and converted files load with torch's plain
    ``weights_only=True``, MMEngine Runner checkpoints through the
    stand-ins of :func:`~uniformer_mm.weights.safe_load.
    load_checkpoint_file`; URLs are downloaded into the cache first
    (:func:`~uniformer_mm.weights.download.download`).
    """
    if is_url(path):
        path = download(path)
    elif not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint not found: {path!r}')
    return load_checkpoint_file(path)


def load_backbone_checkpoint(model: nn.Module,
                             path: str,
                             prefix: Optional[str] = None) -> dict:
    """Load an official or OpenMMLab checkpoint into a UniFormer backbone.

    Args:
        model: the backbone.
        path: local checkpoint file or URL.
        prefix: backbone key prefix (see
            :func:`~uniformer_mm.weights.containers.backbone_state_dict`).

    Returns:
        dict with ``missing`` and ``unexpected`` backbone keys (as
        ``load_state_dict`` reports them) and ``ignored``, the keys of the
        file outside the backbone.

    Raises:
        FileNotFoundError: a local ``path`` does not exist.
        ValueError: the checkpoint is another variant (shape mismatch, or
            blocks / embeddings missing on either side).
    """
    state_dict, ignored = backbone_state_dict(
        unwrap_state_dict(read_checkpoint(path)), prefix)
    try:
        result = model.load_state_dict(state_dict, strict=False)
    except ValueError as error:
        raise ValueError(f'checkpoint {path!r}: {error}'.replace(
            ': the state dict', ': its state dict', 1)) from None
    print_log(f'UniFormer: loaded the backbone weights of {path}',
              logger='current')
    if ignored:
        print_log(
            f'UniFormer: skipped {len(ignored)} keys outside the backbone '
            f'(heads, necks): {ignored}',
            logger='current')
    return dict(missing=list(result.missing_keys),
                unexpected=list(result.unexpected_keys),
                ignored=ignored)
