"""Helpers shared by the test modules (this folder is on ``sys.path``).

Paths of the repository, config loading and model building as MMEngine's
Runner does it, subprocess runs of the tools, and the tiny architectures
of the golden reference cases (``tests/data/golden``).
"""
import copy
import functools
import glob
import os
import os.path as osp
import socket
import subprocess
import sys
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from uniformer_mm.models.backbones.uniformer_arch import parse_arch
from uniformer_mm.registry import MODELS
from uniformer_mm.weights import read_checkpoint
from uniformer_mm.utils.toolboxes import toolbox_registry

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOOLS = osp.join(REPO, 'tools')
PY = sys.executable
CONFIG_DIR = osp.join(REPO, 'configs')
#: the runnable model configs; files in a ``_base_`` folder are mixins
#: (pieces that runnable configs inherit, MMEngine / mmdet style), not run
#: alone, and configs/deploy holds MMDeploy's deploy configs (DEPLOY_CONFIGS)
CONFIGS = sorted(
    osp.relpath(path, REPO)
    for path in glob.glob(osp.join(CONFIG_DIR, '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(path, CONFIG_DIR).split(osp.sep)
    and osp.relpath(path, CONFIG_DIR).split(osp.sep)[0] != 'deploy')
#: MMDeploy deploy configs (export, backend, codebase settings)
DEPLOY_CONFIGS = sorted(
    osp.relpath(path, REPO)
    for path in glob.glob(osp.join(CONFIG_DIR, 'deploy', '*.py')))
#: the task folders of configs/ (the paper recipes); configs/demo only has
#: to parse, build and run
TASKS = ('cls', 'det', 'seg', 'pose', 'action')
TASK_CONFIGS = [c for c in CONFIGS if c.split(osp.sep)[1] in TASKS]
TINY_DEPTHS = [1, 1, 2, 1]

GOLDEN = Path(REPO) / 'tests' / 'data' / 'golden'
#: the architectures of the golden cases (official code at tiny size)
TINY = dict(depths=[1, 1, 2, 1], embed_dims=[8, 16, 24, 32], head_dim=8,
            mlp_ratio=4)
TINY_LIGHT = dict(depths=[1, 1, 3, 2], embed_dims=[7, 14, 21, 28],
                  head_dim=7, mlp_ratio=3, conv_stem=True,
                  token_keep_ratio=0.5)

CLS = dict(out_norm='BN', out_indices=(3, ))
DENSE = dict(out_indices=(0, 1, 2, 3))

# case -> (backbone kwargs, checkpoint file)
CASES = {
    'cls-s': (dict(arch=TINY, **CLS), 'cls-s.pth'),
    'cls-b-ls': (dict(arch=dict(TINY, layer_scale_stages=[2, 3]), **CLS),
                 'cls-b-ls.pth'),
    'cls-s-plus': (dict(arch=dict(TINY, head_dim=4, conv_stem=True,
                                  conv_downsample=True), **CLS),
                   'cls-s-plus.pth'),
    'tl-l-ls': (dict(arch=dict(TINY, layer_scale_stages=[0, 1, 2, 3]), **CLS),
                'tl-l-ls.pth'),
    'light-xxs': (dict(arch=TINY_LIGHT, **CLS), 'light-xxs.pth'),
    'dense-s-window14': (dict(arch=TINY, attn_modes=('window', 'global'),
                              window_size=14, drop_path_rate=0.2, **DENSE),
                         'dense-s-window14.pth'),
    'dense-s-hybrid14': (dict(arch=dict(TINY, depths=[1, 1, 4, 1]),
                              attn_modes=('hybrid', 'global'), window_size=14,
                              drop_path_rate=0.2, **DENSE),
                         'dense-s-hybrid14.pth'),
    'dense-s-global.from-cls-s': (dict(arch=TINY, drop_path_rate=0.25,
                                       **DENSE), 'cls-s.pth'),
    'dense-light-xxs': (dict(arch=TINY_LIGHT, **DENSE),
                        'dense-light-xxs.pth'),
    'video-s': (dict(arch=TINY, video=True, drop_path_rate=0.1, **CLS),
                'video-s.pth'),
    'video-s.from-cls-s': (dict(arch=TINY, video=True, **CLS), 'cls-s.pth'),
    'video-light-xxs': (dict(arch=TINY_LIGHT, video=True, **CLS),
                        'video-light-xxs.pth'),
    # the official video light models with layer scale: no gamma_3
    'video-light-xxs-ls': (dict(arch=dict(TINY_LIGHT,
                                          layer_scale_stages=[0, 1, 2, 3],
                                          merged_token_scale='branch'),
                                video=True, **CLS),
                           'video-light-xxs-ls.pth'),
}


@functools.lru_cache(maxsize=None)
def _parse(config: str) -> Config:
    return Config.fromfile(osp.join(REPO, config))


def load(config: str) -> Config:
    """A fresh copy of the parsed config (parsing is cached); ``config`` is
    relative to the repository root."""
    return copy.deepcopy(_parse(config))


def build_model(cfg: Config):
    """Build ``cfg.model`` as MMEngine's Runner does (which also hands a
    top-level ``data_preprocessor`` to the model)."""
    init_default_scope(cfg.default_scope)
    models = toolbox_registry(cfg.default_scope).MODELS
    model_cfg = copy.deepcopy(cfg.model)
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    return models.build(model_cfg)


def shrink_backbone(cfg: Config) -> dict:
    """Cut the backbone to 1-1-2-1 blocks, keeping every width."""
    backbone = cfg.model.backbone
    arch = dict(parse_arch(copy.deepcopy(backbone.arch)))
    arch['depths'] = list(TINY_DEPTHS)
    backbone.arch = arch
    if not isinstance(backbone.get('with_cp', False), bool):
        backbone.with_cp = [min(n, d) for n, d in zip(backbone.with_cp,
                                                      TINY_DEPTHS)]
    return arch


def lighten_heads(cfg) -> None:
    """Fewer proposals and RoIs for the detectors; no padding to the
    512x512 crop for the segmentors (test-only changes: the heads and
    their widths stay as configured)."""
    model = cfg.model
    if cfg.default_scope == 'mmdet':
        model.train_cfg.rpn_proposal.update(nms_pre=200, max_per_img=32)
        rcnn = model.train_cfg.rcnn
        for stage in (rcnn if isinstance(rcnn, list) else [rcnn]):
            stage.sampler.num = 16
        model.test_cfg.rpn.update(nms_pre=200, max_per_img=16)
        model.test_cfg.rcnn.max_per_img = 4
    elif cfg.default_scope == 'mmseg':
        model.data_preprocessor.update(size=None, size_divisor=32)


def demo_config(task: str) -> str:
    """Absolute path of the demo config of ``task``."""
    return osp.join(REPO, 'configs', 'demo', f'{task}_demo.py')


def run(args, cwd, timeout=600, env=None):
    """Run a command; return (returncode, combined stdout + stderr)."""
    full_env = dict(os.environ)
    full_env['PYTHONPATH'] = REPO + os.pathsep + full_env.get('PYTHONPATH', '')
    full_env['PYTHONWARNINGS'] = 'ignore'
    full_env['PYTHON'] = PY  # for tools/train.sh and tools/test.sh
    full_env.update(env or {})
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True)
    return proc.returncode, proc.stdout


def free_port() -> str:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return str(s.getsockname()[1])


def golden(name: str) -> dict:
    """The official-format checkpoint ``name`` of the golden cases."""
    return read_checkpoint(str(GOLDEN / name))


def build_pretrained(kwargs: dict, checkpoint: str):
    model = MODELS.build(
        dict(type='uniformer_mm.UniFormer',
             init_cfg=dict(type='Pretrained',
                           checkpoint=str(GOLDEN / checkpoint)),
             **kwargs))
    model.init_weights()
    return model.eval()


def halves(h=8, w=8, first=1, second=2, axis=-1, score=10.):
    """A top-1 label map ``(2, 1, h, w)``: class ``first`` on the left (or
    top, ``axis=-2``) half, ``second`` on the other."""
    label = torch.zeros(2, 1, h, w)
    label[0] = score
    index = label[1]
    if axis == -1:
        index[..., :w // 2], index[..., w // 2:] = first, second
    else:
        index[..., :h // 2, :], index[..., h // 2:, :] = first, second
    return label


def mmpretrain_classifier(backbone: dict, head: dict):
    """An mmpretrain ``ImageClassifier`` of a UniFormer ``backbone`` (kwargs)
    and ``head`` (10 classes; pooled unless the head is ours)."""
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS
    init_default_scope('mmpretrain')
    return MODELS.build(
        dict(type='ImageClassifier',
             backbone=dict(type='uniformer_mm.UniFormer', out_norm='BN',
                           **backbone),
             neck=None if 'uniformer_mm' in head['type'] else dict(
                 type='GlobalAveragePooling'),
             head=dict(num_classes=10, **head)))
