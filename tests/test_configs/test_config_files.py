"""Every config under configs/ parses, builds in its toolbox and runs.

Like mmdetection's ``mmdet/testing/_utils.py`` (``get_detector_cfg``), the
configs are read from the repository with ``Config.fromfile``; each model is
built in its toolbox's default scope and runs a training (loss) and an
inference forward on a small input, with the backbone's depths cut to
``[1, 1, 2, 1]`` (widths kept, so every neck and head is the real one).
The full-size models are built too, to check their parameter counts against
the UniFormer paper (marked ``slow``: cheap, but they build big models).
"""
import ast
import copy
import glob
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config, DictAction

from helpers import (CONFIG_DIR, CONFIGS, DEPLOY_CONFIGS, REPO, TASK_CONFIGS,
                     TASKS, build_model, lighten_heads, load,
                     shrink_backbone)

from uniformer_mm.models import UniFormer
from uniformer_mm.models.backbones.uniformer_arch import parse_arch
from uniformer_mm.utils.toolboxes import TOOLBOX_REGISTRIES, toolbox_registry
from uniformer_mm.weights.releases import RELEASES, find_release

URL = re.compile(r'(https?|ftp|torchvision|open-mmlab|mmcls|modelzoo)://')


def test_configs_found():
    folders = {c.split(osp.sep)[1] for c in CONFIGS}
    assert set(TASKS) <= folders
    # the user-fixed name and the primitives other engineers depend on
    for name in ('det/mask_rcnn_uniformer_b_3x.py',
                 'cls/uniformer_s_300e_in1k.py',
                 'seg/fpn_uniformer_s_80k_ade20k.py',
                 'pose/topdown_heatmap_uniformer_s_210e_coco_256x192.py',
                 'action/uniformer_s_8x8_k400.py'):
        assert osp.join('configs', name) in CONFIGS
    # the mixins of configs/<task>/_base_/ are inherited, never run
    assert MIXINS and not set(MIXINS) & set(CONFIGS)


@pytest.mark.parametrize('config', DEPLOY_CONFIGS)
def test_deploy_config_parses(config):
    """configs/deploy holds MMDeploy configs: a toolbox codebase, ONNX
    Runtime, and the opset of the exporter it names (TorchScript 17,
    dynamo 18)."""
    assert len(DEPLOY_CONFIGS) >= 5
    cfg = load(config)
    assert cfg.codebase_config.type in TOOLBOX_REGISTRIES or \
        cfg.codebase_config.type == 'mmaction', cfg.codebase_config
    assert cfg.backend_config.type == 'onnxruntime'
    dynamo = cfg.onnx_config.get('dynamo', False)
    assert dynamo == ('dynamo' in osp.basename(config))
    assert cfg.onnx_config.opset_version == (18 if dynamo else 17)


# ----------------------------------------------------------------- parsing
@pytest.mark.parametrize('config', CONFIGS)
def test_config_parses(config):
    cfg = load(config)
    assert cfg.default_scope in TOOLBOX_REGISTRIES, cfg.default_scope
    assert cfg.model.backbone.type == 'uniformer_mm.UniFormer'
    assert 'uniformer_mm' in cfg.custom_imports.imports
    assert cfg.custom_imports.allow_failed_imports is False


@pytest.mark.parametrize('config', TASK_CONFIGS)
def test_config_policy(config):
    """The only URLs are published weights of the release table (no
    toolbox default such as torchvision://), the stated batch is the one
    configured and the lr scaling base."""
    cfg = load(config)
    published = {r.url for r in RELEASES if r.url}
    urls = re.findall(r"'((?:https?|ftp|torchvision|open-mmlab|mmcls|"
                      r"modelzoo)://[^']*)'", cfg.pretty_text)
    assert set(urls) <= published, set(urls) - published
    if cfg.default_scope == 'mmseg':
        assert cfg.model.pretrained is None
    assert cfg.auto_scale_lr.base_batch_size > 0
    # The header's "N GPUs x B" (the last one a variant states) is the
    # config's per-GPU batch and auto_scale_lr's total batch.
    text = open(osp.join(REPO, config)).read()
    stated = re.findall(r'(\d+) GPUs x (\d+)', text)
    assert stated, 'state "N GPUs x B" (the official batch) in the config'
    gpus, batch = map(int, stated[-1])
    assert cfg.train_dataloader.batch_size == batch
    assert cfg.auto_scale_lr.base_batch_size == gpus * batch
    # with_cp counts fit the stage depths of the arch
    backbone = cfg.model.backbone
    arch = parse_arch(copy.deepcopy(backbone.arch))
    with_cp = backbone.get('with_cp', False)
    if not isinstance(with_cp, bool):
        assert all(n <= d for n, d in zip(with_cp, arch['depths']))


# Token of the official file names for each arch of the paper configs.
RELEASE_ARCH = {'s': 'small', 'b': 'base', 'xxs': 'xxs', 'xs': 'xs'}


@pytest.mark.parametrize('config', TASK_CONFIGS)
def test_config_says_what_it_loads(config):
    """Every paper config names its start as a local path of an official
    file of the right arch, through the one PretrainedHook; only ImageNet
    training (the cls 300e / 600e recipes) starts from random init."""
    cfg = load(config)
    hooks = cfg.default_hooks
    assert hooks.pretrained.type == 'uniformer_mm.PretrainedHook'
    # the other run-time components every paper config names
    assert hooks.logger.type == 'uniformer_mm.RankZeroLoggerHook'
    assert hooks.checkpoint.backend_args == dict(
        backend='uniformer_mm_atomic_local')
    init_cfg = cfg.model.backbone.get('init_cfg')
    folder, name = config.split(osp.sep)[1:]
    if cfg.get('load_from'):  # 384 fine-tuning of a converted 224 model
        assert folder == 'cls' and 'ft50e' in name
        assert cfg.load_from == f'checkpoints/{name.split("_ft50e")[0]}' \
            '_300e_in1k.pth'
        assert osp.isfile(osp.join(CONFIG_DIR, 'cls', osp.basename(
            cfg.load_from).replace('.pth', '.py')))
        assert init_cfg is None  # every weight comes from load_from
        return
    if init_cfg is None:
        assert folder == 'cls' and re.search(r'_(300|600)e_', name)
        assert cfg.get('pretrained') is None
        return
    assert cfg.get('pretrained') is None  # a child's one-line switch only
    assert init_cfg.type == 'Pretrained', init_cfg
    release = find_release(init_cfg.checkpoint)
    assert release is not None and init_cfg.checkpoint == \
        release.checkpoint, init_cfg.checkpoint
    arch = _arch_name(cfg.model.backbone.arch)
    assert release.task == (
        'action' if re.search(r'sthv|ucf|hmdb', name) else 'cls')
    assert RELEASE_ARCH[arch] in release.name, (arch, release.name)


def _arch_name(arch) -> str:
    """The paper arch (s, b, xxs, xs) an arch name or dict is built on
    (e.g. ``'xxs'`` for the video light ``'xxs-ls'``)."""
    arch = parse_arch(arch)
    return next(name for name in RELEASE_ARCH
                if UniFormer.arch_zoo[name]['depths'] == arch['depths']
                and UniFormer.arch_zoo[name]['embed_dims'] ==
                arch['embed_dims'])


def _local_bases(config: str) -> list:
    """The ``_base_`` files of ``config`` inside this repository (toolbox
    bases, ``pkg::path``, excluded), relative to the repository root, as
    MMEngine reads them."""
    bases = Config._get_base_files(osp.join(REPO, config))
    folder = osp.dirname(osp.join(REPO, config))
    return [
        osp.relpath(osp.normpath(osp.join(folder, b)), REPO) for b in bases
        if '::' not in b
    ]


def _depth(config: str) -> int:
    """Levels of our files in the longest inheritance chain of ``config``
    (itself included; a mixin is one level where it stands in a chain)."""
    return 1 + max((_depth(b) for b in _local_bases(config)), default=0)


def _ancestors(config: str) -> set:
    bases = set(_local_bases(config))
    for base in list(bases):
        bases |= _ancestors(base)
    return bases


#: the mixins: non-runnable pieces of configs (MMEngine / mmdet style
#: ``_base_`` files) that runnable configs combine, ``_base_ = [...]``
MIXINS = sorted(
    osp.relpath(path, REPO) for path in glob.glob(
        osp.join(CONFIG_DIR, '*', '_base_', '**', '*.py'), recursive=True)
    if osp.relpath(path, CONFIG_DIR).split(osp.sep)[0] != 'deploy')


@pytest.mark.parametrize('folder', TASKS)
def test_one_primitive_and_shallow_inheritance(folder):
    """One config per folder inherits only toolbox bases (the primitive
    holding the full backbone dict); chains are at most 3 of our files,
    mixins included."""
    configs = [c for c in TASK_CONFIGS if c.split(osp.sep)[1] == folder]
    primitives = [c for c in configs if not _local_bases(c)]
    assert len(primitives) == 1, primitives

    for config in configs:
        assert _depth(config) <= 3, config
        if config not in primitives:  # variants override keys only
            text = open(osp.join(REPO, config)).read()
            assert "type='uniformer_mm.UniFormer'" not in text, config


def test_mixins_are_used_and_hold_no_backbone():
    """Every mixin serves at least one runnable config and is a piece, not
    a model: no UniFormer backbone dict (the primitives hold that)."""
    used = set().union(*(_ancestors(c) for c in CONFIGS))
    assert not set(MIXINS) - used, set(MIXINS) - used
    for mixin in MIXINS:
        text = open(osp.join(REPO, mixin)).read()
        assert "type='uniformer_mm.UniFormer'" not in text, mixin
        cfg = Config.fromfile(osp.join(REPO, mixin))
        assert 'uniformer_mm.UniFormer' not in {
            t for t, _ in _types_in(cfg.to_dict())}, mixin


@pytest.mark.parametrize('config', TASK_CONFIGS + MIXINS)
def test_no_functions_in_configs(config):
    """Configs and mixins are data: no ``def`` or ``lambda`` (MMEngine
    drops functions from a parsed config, and a dumped config must rebuild
    the same run)."""
    tree = ast.parse(open(osp.join(REPO, config)).read())
    functions = [
        node.lineno for node in ast.walk(tree) if isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
    ]
    assert not functions, f'{config}: functions at lines {functions}'


# ----------------------------------------------------------------- forward
def image_size(cfg) -> tuple:
    """Small inputs; with window attention stage 3 (input / 16) must hold
    a whole window in one dimension, so that side is 16 x window."""
    backbone = cfg.model.backbone
    modes = backbone.get('attn_modes', ('global', 'global'))
    if {'window', 'hybrid'} & set(modes):
        return (16 * backbone.get('window_size', 14), 64)
    return (96, 64)


def _det_inputs(cfg):
    from mmdet.testing import demo_mm_inputs
    bbox_head = cfg.model.roi_head.bbox_head
    if isinstance(bbox_head, list):
        bbox_head = bbox_head[0]
    return demo_mm_inputs(
        2, [(3, ) + image_size(cfg)] * 2,
        num_items=[3, 2],
        num_classes=bbox_head.num_classes,
        with_mask=True)


def _seg_inputs(cfg):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    size = image_size(cfg)
    inputs, samples = [], []
    for _ in range(2):
        inputs.append(torch.randint(0, 255, (3, ) + size, dtype=torch.uint8))
        sample = SegDataSample(
            metainfo=dict(img_shape=size, ori_shape=size, pad_shape=size))
        num_classes = cfg.model.decode_head.num_classes
        sample.gt_sem_seg = PixelData(
            data=torch.randint(0, num_classes, (1, ) + size))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def _pose_inputs(cfg):
    from mmpose.testing import get_packed_inputs
    w, h = cfg.codec.input_size
    hw, hh = cfg.codec.heatmap_size
    return get_packed_inputs(
        2,
        img_shape=(h, w),
        input_size=(w, h),
        heatmap_size=(hw, hh),
        with_simcc_label=False)


def _cls_inputs(cfg, size=64):
    from mmpretrain.structures import DataSample
    return dict(
        inputs=[
            torch.randint(0, 255, (3, size, size), dtype=torch.uint8)
            for _ in range(2)
        ],
        data_samples=[DataSample().set_gt_label(i) for i in range(2)])


def _action_inputs(cfg, views=1, frames=4, size=64):
    from mmaction.structures import ActionDataSample
    return dict(
        inputs=[
            torch.randint(
                0, 255, (views, 3, frames, size, size), dtype=torch.uint8)
            for _ in range(2)
        ],
        data_samples=[
            ActionDataSample().set_gt_label(torch.tensor([i]))
            for i in range(2)
        ])


INPUTS = {
    'mmdet': _det_inputs,
    'mmseg': _seg_inputs,
    'mmpose': _pose_inputs,
    'mmpretrain': _cls_inputs,
    'mmaction': _action_inputs,
}


@pytest.mark.parametrize('config', CONFIGS)
def test_build_and_forward(config):
    """Tiny-depth model: a loss forward (train) and a predict forward."""
    torch.manual_seed(0)
    np.random.seed(0)
    cfg = load(config)
    shrink_backbone(cfg)
    lighten_heads(cfg)
    model = build_model(cfg)
    assert type(model.backbone) is UniFormer  # not mmaction2's UniFormer

    make_inputs = INPUTS[cfg.default_scope]
    model.train()
    data = model.data_preprocessor(make_inputs(cfg), True)
    losses = model(**data, mode='loss')
    assert losses and all(
        torch.isfinite(v).all() for k, v in losses.items()
        if 'loss' in k and isinstance(v, torch.Tensor))

    model.eval()
    with torch.no_grad():
        if cfg.default_scope == 'mmaction':
            raw = make_inputs(cfg, views=2)
        else:
            raw = make_inputs(cfg)
        data = model.data_preprocessor(raw, False)
        results = model(**data, mode='predict')
    assert len(results) == 2


FROZEN_BN_CONFIGS = [c for c in TASK_CONFIGS if '_frozenbn_' in c]


@pytest.mark.parametrize('config', FROZEN_BN_CONFIGS)
def test_frozen_bn_configs_keep_the_backbone_statistics(config):
    """A training step of the frozen-BN child leaves every backbone BN's
    running statistics as they were; its parent's step changes them."""
    assert len(FROZEN_BN_CONFIGS) == 3  # det, seg, pose
    parent = Config._get_base_files(osp.join(REPO, config))[0]
    for path, frozen in ((config, True), (osp.relpath(osp.normpath(
            osp.join(osp.dirname(config), parent)), REPO), False)):
        torch.manual_seed(0)
        cfg = load(path)
        shrink_backbone(cfg)
        lighten_heads(cfg)
        model = build_model(cfg)
        stats = {name: buf.clone()
                 for name, buf in model.backbone.named_buffers()
                 if name.endswith(('running_mean', 'running_var'))}
        assert stats
        model.train()
        data = model.data_preprocessor(INPUTS[cfg.default_scope](cfg), True)
        losses = model(**data, mode='loss')
        sum(v.sum() for k, v in losses.items()
            if 'loss' in k and isinstance(v, torch.Tensor)).backward()
        after = dict(model.backbone.named_buffers())
        unchanged = all(torch.equal(after[n], v) for n, v in stats.items())
        assert unchanged == frozen, path


def _registry(scope, name):
    return getattr(toolbox_registry(scope), name)


def _types_in(obj, skip=('encoder', 'decoder')):
    """Every ``type`` of the nested config ``obj`` (codecs are skipped:
    they live in mmpose's KEYPOINT_CODECS, not TRANSFORMS)."""
    if isinstance(obj, dict):
        if isinstance(obj.get('type'), str):
            yield obj['type'], obj
        for key, value in obj.items():
            if key not in skip:
                yield from _types_in(value, skip)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            yield from _types_in(value, skip)


@pytest.mark.parametrize('config', TASK_CONFIGS)
def test_training_pieces_resolve(config):
    """Without data: the optimizer wrapper and LR schedules build and step,
    and every dataset, transform, sampler, collate function, hook and metric
    the config names is registered in its toolbox (or MMEngine)."""
    from mmengine.dataset import COLLATE_FUNCTIONS
    from mmengine.optim import build_optim_wrapper
    cfg = load(config)
    shrink_backbone(cfg)
    model = build_model(cfg)
    scope = cfg.default_scope

    optim_wrapper = build_optim_wrapper(model,
                                        copy.deepcopy(cfg.optim_wrapper))
    schedulers = []
    for sched in copy.deepcopy(cfg.param_scheduler):
        sched.pop('_scope_', None)
        sched_cls = _registry(scope, 'PARAM_SCHEDULERS').get(sched.pop('type'))
        if sched.pop('convert_to_iter_based', False):
            schedulers.append(
                sched_cls.build_iter_from_epoch(
                    optim_wrapper, epoch_length=3, **sched))
        else:
            schedulers.append(sched_cls(optim_wrapper, **sched))
    for _ in range(4):
        for scheduler in schedulers:
            scheduler.step()
    assert all(g['lr'] >= 0 for g in optim_wrapper.param_groups)

    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        assert _registry(scope, 'DATASETS').get(loader.dataset.type)
        assert _registry(scope, 'DATA_SAMPLERS').get(loader.sampler.type)
        if loader.get('collate_fn'):
            assert COLLATE_FUNCTIONS.get(loader.collate_fn.type)
        for transform, _ in _types_in(loader.dataset.get('pipeline', [])):
            assert _registry(scope, 'TRANSFORMS').get(transform), transform
    for hook, _ in _types_in(
            list(cfg.get('default_hooks', {}).values()) +
            list(cfg.get('custom_hooks', []))):
        assert _registry(scope, 'HOOKS').get(hook), hook
    for split in ('val', 'test'):
        for metric, _ in _types_in(cfg.get(f'{split}_evaluator')):
            assert _registry(scope, 'METRICS').get(metric), metric


def _merge_cli(cfg: Config, options: list) -> Config:
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args(['--cfg-options', *options])
    cfg.merge_from_dict(args.cfg_options)
    return cfg


# The ways a child config (or the command line) picks the backbone weights.
CHILD_OVERRIDES = {
    'pretrained': "pretrained = '{ckpt}'\n",
    'init_cfg': "model = dict(backbone=dict(init_cfg=dict("
    "type='Pretrained', checkpoint='{ckpt}')))\n",
    'cfg_options': None,  # --cfg-options pretrained={ckpt}
}


def _apply_pretrained_hook(cfg: Config, model) -> None:
    """What the Runner does before ``init_weights`` (it calls the hook's
    ``before_run`` with itself)."""
    from types import SimpleNamespace

    from uniformer_mm.engine.hooks.pretrained_hook import PretrainedHook
    from uniformer_mm.weights import check_pretrained_files
    check_pretrained_files(cfg)
    PretrainedHook().before_run(SimpleNamespace(model=model, cfg=cfg))


@pytest.mark.parametrize('override', CHILD_OVERRIDES)
@pytest.mark.parametrize('config', [
    'configs/det/mask_rcnn_uniformer_s_1x.py',
    'configs/action/uniformer_s_8x8_k400.py',
    'configs/cls/uniformer_s_300e_in1k.py',
])
def test_child_config_picks_the_backbone_weights(config, override,
                                                 tmp_path):
    """One line of a child config (or --cfg-options) sets the weights the
    backbone loads, without ``_delete_``; 2D files inflate for video."""
    cfg = load(config)
    if cfg.model.backbone.get('init_cfg') is None and override != 'init_cfg':
        pytest.skip('a from-scratch recipe: the child sets init_cfg')
    arch = shrink_backbone(cfg)
    image_cfg = load('configs/det/mask_rcnn_uniformer_s_1x.py')
    shrink_backbone(image_cfg)
    image_cfg.model.backbone.update(arch=arch, init_cfg=None)
    source = build_model(image_cfg).backbone  # an ImageNet-style 2D file
    source.init_weights()
    ckpt = str(tmp_path / 'weights.pth')
    torch.save({'state_dict': source.state_dict()}, ckpt)

    child = tmp_path / 'child.py'
    child.write_text(f"_base_ = '{osp.join(REPO, config)}'\n" +
                     (CHILD_OVERRIDES[override] or '').format(ckpt=ckpt))
    cfg = Config.fromfile(str(child))
    if override == 'cfg_options':
        cfg = _merge_cli(cfg, [f'pretrained={ckpt}'])
    shrink_backbone(cfg)
    model = build_model(cfg)
    _apply_pretrained_hook(cfg, model)
    model.init_weights()
    loaded = model.backbone.state_dict()
    for key, value in source.state_dict().items():
        if key.startswith('norm'):
            continue  # output norms differ between the dense and cls models
        if value.dim() + 1 == loaded[key].dim():  # inflated (average)
            value = value.unsqueeze(2) / loaded[key].shape[2]
        assert torch.allclose(loaded[key], value.expand_as(loaded[key])), key


def test_missing_pretrained_file_stops_before_training(tmp_path):
    """A paper config whose (manual) file is missing fails, naming the
    file, where it is published and how to train from scratch;
    init_cfg=None trains from scratch; a resumed run needs no backbone file
    and downloads nothing."""
    cfg = load('configs/det/mask_rcnn_uniformer_xxs_1x.py')
    cfg.work_dir = str(tmp_path)
    with pytest.raises(FileNotFoundError) as error:
        _apply_pretrained_hook(cfg, build_model(cfg))
    message = str(error.value)
    for part in ('checkpoints/uniformer_xxs_224_in1k.pth',
                 'model.backbone.init_cfg.checkpoint',
                 'image classification model zoo', 'init_cfg=None'):
        assert part in message

    scratch = _merge_cli(copy.deepcopy(cfg), ['model.backbone.init_cfg=None'])
    _apply_pretrained_hook(scratch, build_model(scratch))

    (tmp_path / 'epoch_1.pth').write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_1.pth'))
    for config in ('configs/det/mask_rcnn_uniformer_xxs_1x.py',
                   'configs/det/mask_rcnn_uniformer_s_1x.py'):  # file, URL
        cfg = load(config)
        cfg.work_dir, cfg.resume = str(tmp_path), True
        model = build_model(cfg)
        _apply_pretrained_hook(cfg, model)
        # the official random init, then every weight from the checkpoint
        assert model.backbone.init_cfg == UniFormer.default_init_cfg


# ------------------------------------------------------ parameter counts
# config, paper figure (M), decimals of the paper figure
PAPER_PARAMS = [
    ('configs/det/mask_rcnn_uniformer_s_1x.py', 41, 0),
    ('configs/det/mask_rcnn_uniformer_b_3x.py', 69, 0),
    ('configs/det/cascade_mask_rcnn_uniformer_s_3x.py', 79, 0),
    ('configs/det/cascade_mask_rcnn_uniformer_b_3x.py', 107, 0),
    ('configs/det/mask_rcnn_uniformer_xxs_1x.py', 29.4, 1),
    ('configs/det/mask_rcnn_uniformer_xs_1x.py', 35.6, 1),
    ('configs/seg/fpn_uniformer_s_hybrid_80k_ade20k.py', 25, 0),
    ('configs/seg/fpn_uniformer_b_hybrid_80k_ade20k.py', 54, 0),
    ('configs/seg/fpn_uniformer_xxs_80k_ade20k.py', 13.5, 1),
    ('configs/seg/fpn_uniformer_xs_80k_ade20k.py', 19.7, 1),
    ('configs/seg/upernet_uniformer_s_hybrid_160k_ade20k.py', 52, 0),
    ('configs/seg/upernet_uniformer_b_hybrid_160k_ade20k.py', 80, 0),
    ('configs/cls/uniformer_s_300e_in1k.py', 22, 0),
    ('configs/cls/uniformer_splus_300e_in1k.py', 24, 0),
    ('configs/cls/uniformer_b_300e_in1k.py', 50, 0),
    ('configs/cls/uniformer_l_tl_300e_in1k.py', 100, 0),
    # light: both classifiers (pooled + class token), as the official count
    ('configs/cls/uniformer_xxs_600e_in1k-128px.py', 10.2, 1),
    ('configs/cls/uniformer_xs_600e_in1k-192px.py', 16.5, 1),
    # video table of the paper: S 21.4M, B 49.8M (K400, 400 classes)
    ('configs/action/uniformer_s_8x8_k400.py', 21.4, 1),
    ('configs/action/uniformer_b_8x8_k400.py', 49.8, 1),
]


@pytest.mark.slow
@pytest.mark.parametrize('config,paper,decimals', PAPER_PARAMS)
def test_param_count_matches_paper(config, paper, decimals):
    """Backbone + neck + heads of the full-size model, as in the papers'
    tables, within the rounding of the published figure."""
    model = build_model(load(config))
    params = sum(p.numel() for p in model.parameters())
    assert round(params / 1e6, decimals) == paper, \
        f'{params / 1e6:.3f}M vs {paper}M'


@pytest.mark.slow
def test_get_flops_tool():
    """The FLOPs tool reproduces the paper's 3.6G for UniFormer-S at 224."""
    result = subprocess.run([
        sys.executable, 'tools/analysis_tools/get_flops.py',
        'configs/cls/uniformer_s_300e_in1k.py'
    ],
                            cwd=REPO,
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    flops = float(re.search(r'FLOPs .*?: ([\d.]+) G', result.stdout)[1])
    params = float(re.search(r'Params .*?: ([\d.]+) M', result.stdout)[1])
    assert round(flops, 1) == 3.6
    assert round(params) == 22


# ------------------------------------------------------ documentation
def test_metafiles_index_every_config():
    import yaml
    index = yaml.safe_load(open(osp.join(REPO, 'model-index.yml')))
    listed = set()
    for entry in index['Import']:
        metafile = yaml.safe_load(open(osp.join(REPO, entry)))
        for model in metafile['Models']:
            config = model['Config']
            assert osp.isfile(osp.join(REPO, config)), config
            listed.add(osp.normpath(config))
    missing = [c for c in TASK_CONFIGS if c not in listed]
    assert not missing, f'configs missing from the metafiles: {missing}'
    for folder in TASKS:
        readme = open(osp.join(CONFIG_DIR, folder, 'README.md')).read()
        assert not URL.search(readme)


@pytest.mark.parametrize('folder', TASKS)
def test_readme_commands_fit_the_configs(folder, tmp_path):
    """The child config a task README shows parses and makes the backbone
    load the file it names; its convert / test / infer commands name an
    existing config and the converter task of that config's toolbox."""
    from uniformer_mm.weights.pretrained import choose_checkpoint
    readme = open(osp.join(CONFIG_DIR, folder, 'README.md')).read()
    blocks = re.findall(r'```python\n(.*?)```', readme, re.S)
    child = next(b for b in blocks
                 if b.startswith('_base_ = ') and 'my_backbone' in b)
    child = child.replace("_base_ = '", f"_base_ = '{REPO}/", 1)
    (tmp_path / 'child.py').write_text(child)
    cfg = Config.fromfile(str(tmp_path / 'child.py'))
    assert choose_checkpoint(cfg.model.backbone.init_cfg,
                             cfg.get('pretrained'), 'model.backbone')[0] == \
        'checkpoints/my_backbone.pth'
    task = folder
    convert = re.search(r'uniformer_to_mm.py \S+ \\\n\s+(\S+) --task (\w+)',
                        readme)
    assert convert and convert.group(2) == task
    config = re.search(rf'mim test \w+ (configs/{folder}/\S+\.py) '
                       rf'--checkpoint {re.escape(convert.group(1))}',
                       readme)
    assert config and osp.isfile(osp.join(REPO, config.group(1)))
    assert f'tools/infer.py {config.group(1)} {convert.group(1)}' in readme
