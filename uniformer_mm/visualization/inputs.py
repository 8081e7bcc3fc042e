"""Model and one input, as the toolbox's test pipeline prepares it.

Classification configs (``default_scope='mmpretrain'``) load through
``mmpretrain.apis.get_model`` and the config's test pipeline, as mmpretrain's
``vis_cam`` does; video configs (``'mmaction'``) through
``mmaction.apis.init_recognizer`` and the test dataloader's pipeline (the
first view of a multi-view test is drawn). Without a checkpoint the model
keeps its initialisation (random weights: shapes and tools only).
"""
import copy
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config


@dataclass
class Loaded:
    """What the visualization tools need.

    Attributes:
        model: the classifier / recognizer, eval mode.
        task: ``'cls'`` or ``'action'``.
        data: the collated batch of one sample (before the preprocessor).
        inputs: the preprocessed backbone input, ``(1, C, H, W)`` or
            ``(1, C, T, H, W)`` (first view).
        frames: the pipeline's output images, BGR uint8 ``(T, H, W, 3)``
            (``T=1`` for an image).
    """
    model: nn.Module
    task: str
    data: dict
    inputs: torch.Tensor
    frames: np.ndarray


def load_config(config, cfg_options: Optional[dict] = None) -> Config:
    cfg = config if isinstance(config, Config) else Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def load(config,
         checkpoint: Optional[str],
         path: str,
         device: str = 'cpu',
         cfg_options: Optional[dict] = None) -> Loaded:
    """Build the model of ``config`` with ``checkpoint`` and prepare
    ``path`` (an image or a video file) with its test pipeline."""
    cfg = load_config(config, cfg_options)
    model, task = build_model(cfg, checkpoint, device)
    return prepare(model, cfg, task, path)


def build_model(cfg: Config, checkpoint: Optional[str],
                device: str = 'cpu') -> Tuple[nn.Module, str]:
    """``(model in eval mode, task)`` for a classification or video
    config."""
    import uniformer_mm  # noqa: F401  (registers the backbone)
    scope = cfg.get('default_scope')
    if scope == 'mmpretrain':
        from mmpretrain.apis import get_model
        return get_model(cfg, checkpoint, device=device).eval(), 'cls'
    if scope == 'mmaction':
        from mmaction.apis import init_recognizer
        return init_recognizer(cfg, checkpoint, device=device).eval(), 'action'
    raise ValueError(
        f'the visualization tools take classification (mmpretrain) and '
        f'video (mmaction) configs; this one has default_scope={scope!r}')


def prepare(model: nn.Module, cfg: Config, task: str, path: str) -> Loaded:
    """One image / video through the config's test pipeline."""
    if task == 'cls':
        return _prepare_image(model, cfg, path)
    return _prepare_video(model, cfg, path)


def _prepare_image(model, cfg, path) -> Loaded:
    from mmcv.transforms import Compose
    from mmengine.dataset import default_collate
    from mmpretrain.registry import TRANSFORMS
    transforms = Compose(
        [TRANSFORMS.build(t) for t in cfg.test_dataloader.dataset.pipeline])
    sample = transforms({'img_path': path})
    frames = sample['inputs'].numpy().transpose(1, 2, 0)[None]
    data = default_collate([sample])
    inputs = model.data_preprocessor(copy.deepcopy(data), False)['inputs']
    return Loaded(model, 'cls', data, inputs, np.ascontiguousarray(frames))


def _prepare_video(model, cfg, path) -> Loaded:
    from mmengine.dataset import Compose, pseudo_collate
    dataset = cfg.test_dataloader.dataset
    sample = Compose(dataset.pipeline)(
        dict(filename=path, label=-1, start_index=dataset.get(
            'start_index', 0), modality='RGB'))
    data = pseudo_collate([sample])
    views = model.data_preprocessor(copy.deepcopy(data), False)['inputs']
    inputs = views[:, 0]  # (1, C, T, H, W) of the first view
    clip = sample['inputs'][0]  # (C, T, H, W), RGB as decoded
    frames = clip.numpy().transpose(1, 2, 3, 0)[..., ::-1]
    return Loaded(model, 'action', data, inputs,
                  np.ascontiguousarray(frames).astype(np.uint8))


def add_model_arguments(parser, checkpoint_help: str = 'checkpoint file'):
    """The arguments every visualization tool takes: ``config checkpoint
    input``, ``--device`` and ``--cfg-options``."""
    from uniformer_mm.utils.cli import add_cfg_options
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help=checkpoint_help)
    parser.add_argument('input', help='image or video file')
    parser.add_argument('--device', default='cpu', help='e.g. cuda:0')
    add_cfg_options(parser)


def load_from_args(args, random_ok: bool = False) -> Loaded:
    """:func:`load` for the tools' arguments (:func:`add_model_arguments`);
    missing files are :class:`FixableError`; with ``random_ok`` the
    checkpoint ``random`` keeps the initialisation."""
    import os.path as osp

    from uniformer_mm.utils.cli import load_config as load_cli_config
    from uniformer_mm.utils.errors import FixableError
    cfg = load_cli_config(args.config, args.cfg_options)
    checkpoint = None if random_ok and args.checkpoint == 'random' \
        else args.checkpoint
    for path in (args.input, checkpoint):
        if path is not None and not osp.isfile(path):
            raise FixableError(f'{path!r} does not exist')
    return load(cfg, checkpoint, args.input, args.device)
