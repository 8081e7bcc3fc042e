"""uniformer_mm.LayerDecayOptimWrapperConstructor in all five toolboxes.

Each demo config's model (a tiny UniFormer inside the toolbox's real
detector / segmentor / pose estimator / recognizer / classifier) gets an
optimizer from the constructor, named from the toolbox's default scope, as
a config would; each fine-tune config takes a training step on demo data.
The distributed (FSDP) case is in test_scale_out.py.
"""
import copy
import logging
import os.path as osp
import re

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from helpers import (REPO, TASKS, build_model, lighten_heads, load,
                     shrink_backbone)

from uniformer_mm.engine import LayerDecayOptimWrapperConstructor
from uniformer_mm.models import UniFormer
from uniformer_mm.utils.checks import dataset_paths
from uniformer_mm.utils.demo_data import TASKS as DEMO_TASKS
from uniformer_mm.utils.demo_data import data_options, make_task
from uniformer_mm.utils.toolboxes import TOOLBOX_REGISTRIES, toolbox_registry

BASE_LR, BASE_WD, RATE = 1e-3, 0.05, 0.5
HEAD_LR_MULT = 10.
REGISTRY_SCOPES = sorted(TOOLBOX_REGISTRIES)


def optim_cfg(**paramwise):
    paramwise = dict(
        dict(
            layer_decay_rate=RATE,
            norm_decay_mult=0.,
            bias_decay_mult=0.,
            flat_decay_mult=0.), **paramwise)
    return dict(
        optimizer=dict(type='AdamW', lr=BASE_LR, weight_decay=BASE_WD),
        constructor='uniformer_mm.LayerDecayOptimWrapperConstructor',
        paramwise_cfg=paramwise)


def demo_model(task):
    cfg = load(osp.join('configs', 'demo', f'{task}_demo.py'))
    return build_model(cfg), cfg.default_scope


def groups_by_name(optim_wrapper):
    return {g['param_name']: g for g in optim_wrapper.optimizer.param_groups}


def first_outside_backbone(model):
    return next(n for n, p in model.named_parameters()
                if not n.startswith('backbone.') and p.requires_grad)


@pytest.mark.parametrize('task', TASKS)
def test_lr_grows_from_stem_to_head_in_every_toolbox(task):
    model, scope = demo_model(task)
    init_default_scope(scope)  # the config's scope, as the Runner sets it
    head = first_outside_backbone(model)
    cfg = optim_cfg(custom_keys={head: dict(lr_mult=HEAD_LR_MULT)})
    groups = groups_by_name(build_optim_wrapper(model, cfg))

    num_layers = sum(model.backbone.depths) + 2
    stem = groups['backbone.patch_embed1.proj.weight']
    block = groups['backbone.blocks3.0.attn.qkv.weight']
    last_block = groups['backbone.blocks4.0.mlp.fc1.weight']
    assert stem['lr'] == pytest.approx(BASE_LR * RATE**(num_layers - 1))
    assert stem['lr'] < block['lr'] < last_block['lr'] < BASE_LR
    # the head is the last layer; its custom lr_mult still applies
    assert groups[head]['lr'] == pytest.approx(BASE_LR * HEAD_LR_MULT)
    # every trainable parameter has a group, each with one parameter
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert sorted(groups) == sorted(trainable)

    # decay rules: norms and biases none, weights the base decay
    assert block['weight_decay'] == BASE_WD
    assert groups['backbone.blocks3.0.attn.qkv.bias']['weight_decay'] == 0
    assert groups['backbone.blocks3.0.norm1.weight']['weight_decay'] == 0
    assert groups['backbone.patch_embed1.norm.weight']['weight_decay'] == 0


def test_frozen_stages_stay_out_and_cls_token_keeps_no_decay():
    """A light arch has a class token; frozen stem + stage 1 get no group."""
    model = nn.Module()
    model.backbone = UniFormer(arch='xxs', frozen_stages=1)
    model.head = nn.Linear(448, 4)
    init_default_scope('mmpretrain')
    cfg = optim_cfg(custom_keys={'.cls_token': dict(decay_mult=0.)})
    groups = groups_by_name(build_optim_wrapper(model, cfg))
    assert not [n for n in groups if n.startswith(
        ('backbone.patch_embed1.', 'backbone.blocks1.'))]
    assert 'backbone.blocks2.0.attn.weight' in groups
    token = groups['backbone.cls_token']
    assert token['weight_decay'] == 0 and token['layer_id'] == 0
    assert token['lr'] == pytest.approx(
        BASE_LR * RATE**(sum(model.backbone.depths) + 1))


def test_groups_are_logged():
    model, scope = demo_model('seg')
    init_default_scope(scope)
    # print_log(logger='current') writes to the newest MMLogger
    logger = MMLogger.get_instance('test_layer_decay', log_level='INFO')
    handler = logging.Handler()
    records = []
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        build_optim_wrapper(model, optim_cfg())
    finally:
        logger.removeHandler(handler)
    text = '\n'.join(r.getMessage() for r in records)
    assert f'layer-wise lr decay {RATE} over 7 layers' in text
    assert 'layer  0: lr 1.56e-05 (x0.0156)' in text
    assert 'layer  6: lr 0.001 (x1)' in text


def test_training_step_uses_the_groups():
    """The built wrapper trains: a step moves stem weights less than the
    head's (same gradient scale, 64x smaller lr with RATE 0.5, 7 layers)."""
    torch.manual_seed(0)
    model, scope = demo_model('cls')
    init_default_scope(scope)
    cfg = optim_cfg()
    cfg['optimizer'] = dict(type='SGD', lr=BASE_LR, weight_decay=0.)
    optim_wrapper = build_optim_wrapper(model, cfg)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    for p in model.parameters():
        p.grad = torch.ones_like(p)
    optim_wrapper.step()
    moved = {
        n: (p.detach() - before[n]).abs().max().item()
        for n, p in model.named_parameters()
    }
    head = first_outside_backbone(model)
    stem = 'backbone.patch_embed1.proj.weight'
    assert moved[stem] == pytest.approx(BASE_LR * RATE**6, rel=1e-3)
    assert moved[head] == pytest.approx(BASE_LR, rel=1e-3)


def test_ddp_wrapped_model(tmp_path):
    """Through MMDistributedDataParallel (one gloo process), names and lrs
    are those of the unwrapped model."""
    import torch.distributed as dist
    from mmengine.model import MMDistributedDataParallel
    model, scope = demo_model('det')
    init_default_scope(scope)
    plain = groups_by_name(build_optim_wrapper(model, optim_cfg()))
    dist.init_process_group(
        'gloo', init_method=f'file://{tmp_path}/pg', rank=0, world_size=1)
    try:
        wrapped = MMDistributedDataParallel(module=model, device_ids=None)
        groups = groups_by_name(build_optim_wrapper(wrapped, optim_cfg()))
    finally:
        dist.destroy_process_group()
    assert {n: (g['lr'], g['weight_decay']) for n, g in groups.items()} == \
        {n: (g['lr'], g['weight_decay']) for n, g in plain.items()}


def test_clean_param_name():
    from uniformer_mm.engine.optimizers.layer_decay_constructor import \
        clean_param_name
    assert clean_param_name(
        'backbone.blocks3._fsdp_wrapped_module.0.'
        '_checkpoint_wrapped_module.attn.qkv.weight') == \
        'backbone.blocks3.0.attn.qkv.weight'


@pytest.mark.parametrize('paramwise, words', [
    (dict(), 'needs `paramwise_cfg.layer_decay_rate`'),
    (dict(layer_decay_rate=1.5), 'number in (0, 1], got 1.5'),
    (dict(layer_decay_rate=0), 'number in (0, 1], got 0'),
    (dict(layer_decay_rate='0.9'), "number in (0, 1], got '0.9'"),
])
def test_bad_rate_is_refused(paramwise, words):
    with pytest.raises(ValueError) as error:
        LayerDecayOptimWrapperConstructor(
            dict(optimizer=dict(type='AdamW', lr=1e-3)), paramwise)
    assert words in str(error.value)


def test_model_without_uniformer_is_refused():
    from mmdet.registry import MODELS
    init_default_scope('mmdet')
    cfg = copy.deepcopy(load('configs/demo/det_demo.py').model)
    cfg.backbone = dict(
        type='ResNet', depth=18, num_stages=4, out_indices=(0, 1, 2, 3))
    cfg.neck.in_channels = [64, 128, 256, 512]
    model = MODELS.build(cfg)
    with pytest.raises(TypeError) as error:
        build_optim_wrapper(model, optim_cfg())
    message = str(error.value)
    for words in ('model.backbone.get_layer_depth', 'MaskRCNN',
                  'backbone of type ResNet', 'drop `constructor`'):
        assert words in message
    with pytest.raises(TypeError, match='has no `backbone`'):
        build_optim_wrapper(nn.Linear(2, 2), optim_cfg())


@pytest.mark.parametrize('scope', REGISTRY_SCOPES)
def test_constructor_is_only_in_our_scope(scope):
    """The scoped name builds ours from every toolbox's scope. The bare
    name is not ours: mmpose force-registers its own ViT constructor of
    that name into MMEngine's root, so configs must write the scope."""

    from uniformer_mm.registry import OPTIM_WRAPPER_CONSTRUCTORS
    name = 'LayerDecayOptimWrapperConstructor'
    assert OPTIM_WRAPPER_CONSTRUCTORS.get(name) is \
        LayerDecayOptimWrapperConstructor
    toolbox = toolbox_registry(scope)
    init_default_scope(scope)
    assert toolbox.OPTIM_WRAPPER_CONSTRUCTORS.get(
        f'uniformer_mm.{name}') is LayerDecayOptimWrapperConstructor
    assert toolbox.OPTIM_WRAPPER_CONSTRUCTORS.get(name) is not \
        LayerDecayOptimWrapperConstructor


# ----------------------------------------------- the fine-tune configs
FINETUNE = {
    'cls': 'configs/cls/uniformer_s_ft50e_in1k-384px.py',
    'det': 'configs/det/mask_rcnn_uniformer_s_lrdecay_1x.py',
    'seg': 'configs/seg/upernet_uniformer_s_lrdecay_160k_ade20k.py',
    'pose':
    'configs/pose/topdown_heatmap_uniformer_s_lrdecay_210e_coco_256x192.py',
    'action': 'configs/action/uniformer_s_16x4_lrdecay_hmdb51_prek400.py',
}


@pytest.fixture(scope='module')
def demo_data(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('finetune_demo'))
    for task in DEMO_TASKS:
        make_task(out, task)
    return out


@pytest.mark.parametrize('task', TASKS)
def test_finetune_config_trains_a_step_on_demo_data(task, demo_data):
    """The fine-tune config's model (depths cut to 1-1-2-1, widths, neck and
    head kept), optimizer and schedules take one training step on a batch
    of the task's demo data; the lrs fall from head to stem."""
    from mmengine.runner import Runner
    torch.manual_seed(0)
    cfg = load(FINETUNE[task])
    assert cfg.optim_wrapper.constructor == \
        'uniformer_mm.LayerDecayOptimWrapperConstructor'
    shrink_backbone(cfg)
    lighten_heads(cfg)
    cfg.model.backbone.init_cfg = None  # no official weights in tests
    model = build_model(cfg)

    demo = load(osp.join('configs', 'demo', f'{task}_demo.py'))
    demo.merge_from_dict(
        dict(o.split('=', 1) for o in data_options(task, demo_data)))
    loader_cfg = copy.deepcopy(demo.train_dataloader)
    loader_cfg.update(batch_size=2, num_workers=0, persistent_workers=False)
    init_default_scope(cfg.default_scope)
    batch = next(iter(Runner.build_dataloader(loader_cfg, seed=0)))

    optim_wrapper = build_optim_wrapper(model,
                                        copy.deepcopy(cfg.optim_wrapper))
    for sched in copy.deepcopy(cfg.param_scheduler):
        sched.pop('_scope_', None)
        schedulers = toolbox_registry(cfg.default_scope).PARAM_SCHEDULERS
        sched_cls = schedulers.get(sched.pop('type'))
        if sched.pop('convert_to_iter_based', False):
            sched_cls.build_iter_from_epoch(
                optim_wrapper, epoch_length=1, **sched)
        else:
            sched_cls(optim_wrapper, **sched)
    groups = groups_by_name(optim_wrapper)
    stem = groups['backbone.patch_embed1.proj.weight']['lr']
    head = groups[first_outside_backbone(model)]['lr']
    assert 0 < stem < head

    qkv = 'backbone.blocks3.0.attn.qkv.weight'
    before = dict(model.named_parameters())[qkv].detach().clone()
    model.train()
    log_vars = model.train_step(batch, optim_wrapper)
    assert all(torch.isfinite(torch.as_tensor(v)) for v in log_vars.values())
    assert not torch.equal(dict(model.named_parameters())[qkv], before)


README_EXAMPLE = re.compile(
    r'## Fine-tune on your own data.*?```python\n(.*?)```', re.S)


@pytest.mark.parametrize('task', TASKS)
def test_readme_custom_dataset_example_builds(task, tmp_path):
    """The custom-data child config of each task README parses, builds, uses
    the layer-decay constructor and reads only the user's data."""
    folder = osp.join(REPO, 'configs', task)
    with open(osp.join(folder, 'README.md')) as f:
        example = README_EXAMPLE.search(f.read())[1]
    path = tmp_path / 'example.py'
    path.write_text(example.replace("_base_ = './", f"_base_ = '{folder}/"))
    cfg = Config.fromfile(str(path))
    assert cfg.optim_wrapper.constructor == \
        'uniformer_mm.LayerDecayOptimWrapperConstructor'
    shrink_backbone(cfg)
    build_model(cfg)
    for split in ('train', 'val', 'test'):
        dataset = cfg[f'{split}_dataloader'].dataset
        datasets = toolbox_registry(cfg.default_scope).DATASETS
        assert datasets.get(dataset.type)
        paths = [p for _, p in dataset_paths(dataset, split)]
        assert paths and all('/my_' in p for p in paths), paths
