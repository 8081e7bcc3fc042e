"""Checkpoint reading, conversion and inflation (official release formats)."""
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from uniformer_mm.models import UniFormer
from uniformer_mm.weights import (backbone_state_dict,
                                  convert_official_checkpoint,
                                  inflate_state_dict, inflate_weight,
                                  load_backbone_checkpoint, read_checkpoint,
                                  unwrap_state_dict)

REPO = Path(__file__).parents[1]
GOLDEN = REPO / 'tests' / 'data' / 'golden'
TINY = dict(depths=[1, 1, 2, 1], embed_dims=[8, 16, 24, 32], head_dim=8,
            mlp_ratio=4)
TINY_LIGHT = dict(depths=[1, 1, 3, 2], embed_dims=[7, 14, 21, 28],
                  head_dim=7, mlp_ratio=3, conv_stem=True,
                  token_keep_ratio=0.5)


def golden(name):
    return read_checkpoint(str(GOLDEN / name))


@pytest.mark.parametrize('container', ['bare', 'model', 'model_state',
                                       'state_dict', 'module'])
def test_unwrap_every_container(container):
    sd = unwrap_state_dict(golden('video-s.pth'))
    wrapped = {
        'bare': sd,
        'model': {'model': sd},
        'model_state': {'model_state': sd, 'epoch': 3},
        'state_dict': {'state_dict': sd, 'meta': {}},
        'module': {f'module.{k}': v for k, v in sd.items()},
    }[container]
    assert list(unwrap_state_dict(wrapped)) == list(sd)
    assert unwrap_state_dict(unwrap_state_dict(wrapped)).keys() == sd.keys()


def test_unwrap_rejects_non_state_dicts():
    with pytest.raises(TypeError, match='not a state dict'):
        unwrap_state_dict({'epoch': 3, 'lr': 0.1})


def test_backbone_part_of_whole_and_official_models():
    dense, others = backbone_state_dict(
        unwrap_state_dict(golden('dense-s-window14.pth')))
    assert 'patch_embed1.proj.weight' in dense
    assert others and all(not k.startswith('backbone.') for k in others)
    cls, heads = backbone_state_dict(unwrap_state_dict(golden('tl-l-ls.pth')))
    assert 'norm.weight' in cls
    assert sorted(heads) == ['aux_head.bias', 'aux_head.weight', 'head.bias',
                             'head.weight']


def test_missing_file_and_pickles_fail_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match='checkpoint not found'):
        read_checkpoint(str(tmp_path / 'none.pth'))
    path = tmp_path / 'pickled.pth'
    torch.save({'model': {'w': torch.ones(1)}, 'args': Path('x')}, path)
    with pytest.raises(pickle.UnpicklingError,
                       match='names pathlib.PosixPath, which is not allowed'):
        read_checkpoint(str(path))


def test_wrong_variant_names_what_the_checkpoint_looks_like():
    model = UniFormer(arch=dict(TINY, depths=[1, 1, 3, 1]), out_norm='BN')
    with pytest.raises(ValueError) as info:
        load_backbone_checkpoint(model, str(GOLDEN / 'cls-s.pth'))
    message = str(info.value)
    assert 'blocks3.2' in message and 'only in the model' in message
    assert 'depths [1, 1, 2, 1]' in message and 'arch' in message
    wider = UniFormer(arch=dict(TINY, embed_dims=[8, 16, 24, 40]),
                      out_norm='BN')
    with pytest.raises(ValueError, match=r'checkpoint \(32,\) vs model'):
        wider.init_cfg = dict(type='Pretrained',
                              checkpoint=str(GOLDEN / 'cls-s.pth'))
        wider.init_weights()


def test_full_size_arch_is_named_in_the_error(tmp_path):
    small = UniFormer(arch='s', out_norm='BN')
    path = tmp_path / 'small.pth'
    torch.save({'model': small.state_dict()}, path)
    base = UniFormer(arch='b', out_norm='BN',
                     init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    with pytest.raises(ValueError, match=r"arch 's' / 'small'"):
        base.init_weights()


def test_imagenet_weights_in_dense_model_report_missing_norms():
    model = UniFormer(arch=TINY, out_indices=(0, 1, 2, 3))
    report = load_backbone_checkpoint(model, str(GOLDEN / 'cls-s.pth'))
    assert report['missing'] == [f'norm{i}.{p}' for i in range(1, 5)
                                 for p in ('weight', 'bias')]
    assert [k for k in report['unexpected']] == [
        'norm.weight', 'norm.bias', 'norm.running_mean', 'norm.running_var',
        'norm.num_batches_tracked'
    ]
    assert report['ignored'] == ['head.weight', 'head.bias']


@pytest.mark.parametrize('mode', ['average', 'center'])
def test_inflation_modes(mode):
    weight = torch.randn(4, 3, 5, 5)
    inflated = inflate_weight(weight, 3, mode)
    assert inflated.shape == (4, 3, 3, 5, 5)
    # A static clip gives the 2D response under both modes.
    assert torch.allclose(inflated.sum(2), weight, atol=1e-6)
    if mode == 'center':
        assert torch.equal(inflated[:, :, 1], weight)
        assert not inflated[:, :, 0].any() and not inflated[:, :, 2].any()
    else:
        assert torch.allclose(inflated[:, :, 0], weight / 3)


@pytest.mark.parametrize('mode', ['average', 'center'])
def test_video_model_inflates_imagenet_weights(mode):
    pretrained = dict(type='Pretrained', checkpoint=str(GOLDEN / 'cls-s.pth'))
    image = UniFormer(arch=TINY, out_indices=(1, ), init_cfg=pretrained)
    video = UniFormer(arch=TINY, video=True, out_indices=(1, ),
                      inflate_mode=mode, init_cfg=pretrained)
    for model in (image, video):
        model.init_weights()
        model.eval()
    assert video.patch_embed1.proj.weight.shape == (8, 3, 3, 4, 4)
    # Inflation is pure and leaves 3D weights alone.
    own = video.state_dict()
    again, inflated = inflate_state_dict(own, {k: v.shape
                                               for k, v in own.items()})
    assert not inflated and all(again[k] is own[k] for k in own)
    # Stage 2 (local blocks) on a clip of identical frames: far from the
    # temporal borders (zero padding) both modes reproduce the image model
    # (they differ on moving content, see test_inflation_modes).
    frame = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        image_out = image(frame)[0]
        clip_out = video(frame.unsqueeze(2).repeat(1, 1, 32, 1, 1))
    middle = clip_out[:, :, clip_out.shape[2] // 2]
    assert middle.shape == image_out.shape
    assert torch.allclose(middle, image_out, atol=1e-4)


@pytest.mark.parametrize('case, task', [
    ('cls-s.pth', 'cls'), ('tl-l-ls.pth', 'cls'), ('light-xxs.pth', 'cls'),
    ('video-s.pth', 'action'), ('video-light-xxs.pth', 'action'),
    ('dense-s-hybrid14.pth', 'det'), ('dense-light-xxs.pth', 'seg'),
    ('light-xxs.pth', 'seg'),
])
def test_converter_is_idempotent_and_reports_unmapped(case, task):
    converted, unmapped = convert_official_checkpoint(golden(case), task)
    again, unmapped_again = convert_official_checkpoint(
        {'state_dict': converted}, task)
    assert again == converted and not unmapped_again
    assert all(k.startswith(('backbone.', 'head.', 'cls_head.', 'neck.',
                             'rpn_head.', 'roi_head.', 'decode_head.'))
               for k in converted)
    if case.startswith('light') and task == 'seg':
        # The class-token classifier has no place in a segmentor.
        assert sorted(unmapped) == ['head_cls.bias', 'head_cls.weight',
                                    'norm_cls.bias', 'norm_cls.weight']
    else:
        assert not unmapped
    if case.startswith(('light', 'video-light')) and task != 'seg':
        head = 'head' if task == 'cls' else 'cls_head'
        assert torch.equal(converted[f'{head}.cls_token_head.fc.weight'],
                           unwrap_state_dict(golden(case))['head_cls.weight'])
        assert f'{head}.cls_token_head.norm.bias' in converted


def test_pose_converter_renames_keypoint_head():
    state = {'backbone.norm1.weight': torch.ones(1),
             'keypoint_head.final_layer.weight': torch.ones(1)}
    converted, _ = convert_official_checkpoint({'state_dict': state}, 'pose')
    assert list(converted) == ['backbone.norm1.weight',
                               'head.final_layer.weight']


def test_converter_cli(tmp_path):
    out = tmp_path / 'converted.pth'
    script = REPO / 'tools' / 'model_converters' / 'uniformer_to_mm.py'
    result = subprocess.run(
        [sys.executable, str(script), str(GOLDEN / 'light-xxs.pth'), str(out),
         '--task', 'seg'], capture_output=True, text=True, check=True)
    assert 'not mapped' in result.stdout and 'head_cls.weight' in result.stdout
    # The golden classifiers have 10 classes, not ImageNet's 1000.
    result = subprocess.run(
        [sys.executable, str(script), str(GOLDEN / 'light-xxs.pth'), str(out),
         '--task', 'cls'], capture_output=True, text=True)
    assert result.returncode != 0
    assert '10 classes, in1k has 1000' in result.stderr
    result = subprocess.run(
        [sys.executable, str(script), str(GOLDEN / 'light-xxs.pth'), str(out),
         '--task', 'cls', '--dataset', 'none'], capture_output=True,
        text=True, check=True)
    assert 'not mapped' not in result.stdout
    assert 'no dataset_meta written' in result.stdout
    ckpt = torch.load(out)  # weights_only default: plain tensors and strings
    assert 'head.fc.weight' in ckpt['state_dict']
    assert 'head.cls_token_head.fc.weight' in ckpt['state_dict']
    assert ckpt['meta']['converted_from'] == 'light-xxs.pth'
    assert not list(tmp_path.glob('*.tmp'))


def _with_head(case: str, key: str, rows: int) -> dict:
    """A golden official file with a ``rows``-class head under ``key``."""
    state = dict(unwrap_state_dict(golden(case)))
    state = {k: v for k, v in state.items() if not k.startswith('head')}
    state[key + '.weight'] = torch.randn(rows, 32, 1, 1)
    state[key + '.bias'] = torch.randn(rows)
    return {'state_dict': state} if key.startswith(
        ('backbone', 'roi_head', 'decode_head', 'keypoint_head')) else state


@pytest.mark.parametrize('case, task, key, rows, meta_keys', [
    ('cls-s.pth', 'cls', 'head', 1000, {'classes'}),
    ('dense-s-hybrid14.pth', 'det', 'roi_head.bbox_head.fc_cls', 81,
     {'classes', 'palette'}),
    ('dense-s-hybrid14.pth', 'seg', 'decode_head.conv_seg', 150,
     {'classes', 'palette'}),
    ('dense-s-hybrid14.pth', 'pose', 'keypoint_head.final_layer', 17,
     {'keypoint_id2name', 'flip_indices', 'sigmas'}),
])
def test_converted_checkpoints_name_their_classes(case, task, key, rows,
                                                  meta_keys):
    """Every task's converted file carries the toolbox dataset_meta of the
    release's dataset (inferencers read it), and a head of another size is
    refused unless --dataset none."""
    from uniformer_mm.weights import convert_release
    result = convert_release(_with_head(case, key, rows), task, source=case)
    meta = result['meta']
    assert meta['converted_from'] == case and meta['task'] == task
    assert meta_keys <= set(meta['dataset_meta'])
    names = meta['dataset_meta'].get('classes') or list(
        meta['dataset_meta']['keypoint_id2name'].values())
    assert len(names) == rows - (task == 'det')
    with pytest.raises(ValueError, match='--dataset none'):
        convert_release(_with_head(case, key, rows + 1), task)
    assert 'dataset_meta' not in convert_release(
        _with_head(case, key, rows + 1), task, 'none')['meta']


def _mmpretrain_classifier(backbone, head):
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


@pytest.mark.parametrize('case, backbone, head', [
    ('cls-s', dict(arch=TINY), dict(type='LinearClsHead', in_channels=32)),
    ('tl-l-ls', dict(arch=dict(TINY, layer_scale_stages=[0, 1, 2, 3])),
     dict(type='uniformer_mm.TokenLabelingClsHead', in_channels=32)),
    ('light-xxs', dict(arch=TINY_LIGHT, out_cls_token=True),
     dict(type='uniformer_mm.HourglassClsHead', in_channels=28)),
])
def test_converted_checkpoint_gives_official_logits_in_mmpretrain(
        case, backbone, head, tmp_path):
    expected = torch.load(GOLDEN / f'{case}.expected.pt', weights_only=False)
    converted, _ = convert_official_checkpoint(golden(f'{case}.pth'), 'cls')
    model = _mmpretrain_classifier(backbone, head)
    missing, unexpected = model.load_state_dict(converted, strict=False)
    assert not missing and not unexpected
    model.eval()
    with torch.no_grad():
        logits = model(expected['input'], mode='tensor')
    reference = expected['outputs'][expected['output_names'].index('logits')]
    assert torch.allclose(logits, reference, **{
        k: expected['tolerance'][k]
        for k in ('atol', 'rtol')
    })


def test_converted_video_checkpoint_gives_official_logits_in_mmaction2():
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    expected = torch.load(GOLDEN / 'video-s.expected.pt', weights_only=False)
    converted, _ = convert_official_checkpoint(golden('video-s.pth'), 'action')
    model = MODELS.build(
        dict(type='Recognizer3D',
             backbone=dict(type='uniformer_mm.UniFormer', arch=TINY,
                           video=True, out_norm='BN'),
             cls_head=dict(type='I3DHead', num_classes=10, in_channels=32,
                           dropout_ratio=0.),
             data_preprocessor=dict(type='ActionDataPreprocessor',
                                    format_shape='NCTHW')))
    missing, unexpected = model.load_state_dict(converted, strict=False)
    assert not missing and not unexpected
    model.eval()
    with torch.no_grad():
        feats = model.extract_feat(expected['input'].unsqueeze(1))[0]
        logits = model.cls_head(feats)
    assert torch.allclose(logits, expected['outputs'][1], atol=2e-5,
                          rtol=1e-4)


def _official_light_loss(case: str, labels: torch.Tensor) -> torch.Tensor:
    """The official light training loss on the golden eval outputs:
    0.5 * CE(head logits) + 0.5 * CE(head_cls(norm_cls(class token)))."""
    import torch.nn.functional as F
    expected = torch.load(GOLDEN / f'{case}.expected.pt', weights_only=False)
    outputs = dict(zip(expected['output_names'], expected['outputs']))
    sd = unwrap_state_dict(golden(f'{case}.pth'))
    cls_token = F.layer_norm(outputs['cls_token'].squeeze(1), (28, ),
                             sd['norm_cls.weight'], sd['norm_cls.bias'])
    cls_logits = F.linear(cls_token, sd['head_cls.weight'],
                          sd['head_cls.bias'])
    return 0.5 * F.cross_entropy(outputs['logits'], labels) + \
        0.5 * F.cross_entropy(cls_logits, labels), outputs


def _check_light_training(model, inputs, data_samples, head, case, labels):
    """Class token, eval logits and summed loss as the official model; a
    train step reaches the class-token classifier and the class token."""
    expected_loss, outputs = _official_light_loss(case, labels)
    model.eval()
    with torch.no_grad():
        feats = model.extract_feat(inputs)
        feats = feats[0] if isinstance(feats[0], tuple) else feats
        assert torch.allclose(feats[-1], outputs['cls_token'].squeeze(1),
                              atol=2e-5, rtol=1e-4)
        losses = head.loss(feats, data_samples)
    loss_keys = sorted(k for k in losses if k.startswith('loss'))
    assert len(loss_keys) == 2 and loss_keys[1] == loss_keys[0] + '_token'
    total = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.allclose(total, expected_loss, atol=1e-4)
    model.train()
    losses = model(inputs, data_samples, mode='loss')
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    assert head.cls_token_head.fc.weight.grad.abs().sum() > 0
    assert model.backbone.cls_token.grad.abs().sum() > 0


def test_light_image_classifier_trains_both_heads_as_official():
    from mmpretrain.structures import DataSample
    expected = torch.load(GOLDEN / 'light-xxs.expected.pt', weights_only=False)
    converted, _ = convert_official_checkpoint(golden('light-xxs.pth'), 'cls')
    model = _mmpretrain_classifier(
        dict(arch=TINY_LIGHT, out_cls_token=True),
        dict(type='uniformer_mm.HourglassClsHead', in_channels=28))
    model.load_state_dict(converted, strict=True)
    labels = torch.tensor([3, 7])
    samples = [DataSample().set_gt_label(int(y)) for y in labels]
    _check_light_training(model, expected['input'], samples, model.head,
                          'light-xxs', labels)


def test_light_video_recognizer_trains_both_heads_as_official():
    from mmaction.registry import MODELS
    from mmaction.structures import ActionDataSample
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    expected = torch.load(GOLDEN / 'video-light-xxs.expected.pt',
                          weights_only=False)
    converted, _ = convert_official_checkpoint(golden('video-light-xxs.pth'),
                                               'action')
    model = MODELS.build(
        dict(type='Recognizer3D',
             backbone=dict(type='uniformer_mm.UniFormer', arch=TINY_LIGHT,
                           video=True, out_norm='BN', out_cls_token=True),
             cls_head=dict(type='uniformer_mm.HourglassI3DHead',
                           num_classes=10, in_channels=28, dropout_ratio=0.),
             data_preprocessor=dict(type='ActionDataPreprocessor',
                                    format_shape='NCTHW')))
    model.load_state_dict(converted, strict=True)
    labels = torch.tensor([3, 7])
    samples = [ActionDataSample().set_gt_label(int(y)) for y in labels]
    _check_light_training(model, expected['input'].unsqueeze(1), samples,
                          model.cls_head, 'video-light-xxs', labels)


@pytest.mark.parametrize('head', ['HourglassClsHead', 'HourglassI3DHead'])
def test_light_heads_name_the_missing_class_token(head):
    from uniformer_mm.registry import MODELS
    head_cls = MODELS.get(head)
    with pytest.raises(ValueError, match=r'out_cls_token=True\) without'):
        head_cls(num_classes=4, in_channels=8)((torch.rand(2, 8, 1, 2, 2), ))
    with pytest.raises(ValueError, match='two non-negative weights'):
        head_cls(num_classes=4, in_channels=8, loss_weights=(1, ))


def _recognizer(num_classes: int):
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    return MODELS.build(
        dict(type='Recognizer3D',
             backbone=dict(type='uniformer_mm.UniFormer', arch=TINY,
                           video=True, out_norm='BN'),
             cls_head=dict(type='I3DHead', num_classes=num_classes,
                           in_channels=32, dropout_ratio=0.),
             data_preprocessor=dict(type='ActionDataPreprocessor',
                                    format_shape='NCTHW'))).eval()


@pytest.mark.parametrize('dataset', ['k400', 'k600', 'sthv1', 'sthv2'])
def test_video_converter_predicts_the_official_class_names(dataset):
    """An official-order classifier converted for mmaction2 predicts the
    same class names under mmaction2's label map as the official model
    does under the official list (every logit moves with its class)."""
    from uniformer_mm.weights.class_orders import video_class_names
    from uniformer_mm.weights import convert_release
    official_names = video_class_names(dataset, 'official')
    mmaction_names = video_class_names(dataset, 'mmaction')
    torch.manual_seed(0)
    backbone = _recognizer(len(official_names)).backbone.state_dict()
    official = dict(backbone, **{
        'head.weight': torch.randn(len(official_names), 32),
        'head.bias': torch.randn(len(official_names))})
    clips = torch.randn(3, 1, 3, 4, 64, 64)

    def logits(state_dict):
        model = _recognizer(len(official_names))
        model.load_state_dict(state_dict)
        with torch.no_grad():
            return model.cls_head(model.extract_feat(clips)[0])

    as_released = logits(convert_official_checkpoint(official, 'action')[0])
    result = convert_release(official, 'action', dataset)
    converted = logits(result['state_dict'])
    assert result['meta']['dataset_meta']['classes'] == mmaction_names
    assert result['meta']['class_order'] == 'mmaction'
    for row_official, row_converted in zip(as_released, converted):
        assert official_names[row_official.argmax()] == \
            mmaction_names[row_converted.argmax()]
        by_name = dict(zip(official_names, row_official))
        assert torch.allclose(row_converted, torch.stack(
            [by_name[n] for n in mmaction_names]), atol=1e-5)
    # Converting the output again changes nothing; --keep-official-order
    # keeps the rows and names the classes in the official order.
    again = convert_release(dict(state_dict=result['state_dict'],
                                 meta=result['meta']), 'action')
    assert torch.equal(again['state_dict']['cls_head.fc_cls.weight'],
                       result['state_dict']['cls_head.fc_cls.weight'])
    kept = convert_release(official, 'action', dataset,
                           keep_official_order=True)
    assert kept['meta']['dataset_meta']['classes'] == official_names
    assert torch.equal(kept['state_dict']['cls_head.fc_cls.weight'],
                       official['head.weight'])


def test_hosted_models_are_recognised_and_keep_their_class_order(tmp_path):
    """mmaction2's converted Kinetics-400 recognizer (mmaction2 layout and
    label order) is recognised by its published name and layout, loads as
    is, and its rows are never permuted again: the predicted class names
    do not change. An official release of the same weights is reordered."""
    from uniformer_mm.weights import (KINDS, convert_release,
                                      identify_checkpoint)
    from uniformer_mm.weights.class_orders import video_class_names
    names = video_class_names('k400', 'mmaction')
    torch.manual_seed(0)
    model = _recognizer(len(names))
    hosted = {'state_dict': model.state_dict(), 'meta': {}}
    name = ('uniformer-small_imagenet1k-pre_16x4x1_kinetics400-rgb_'
            '20221219-c630a037.pth')
    assert identify_checkpoint(hosted, name) == 'mmaction2'
    assert 'loads as is' in KINDS['mmaction2']
    assert identify_checkpoint(hosted, 'my_run.pth') == 'toolbox'
    for source in (name, 'my_run.pth'):
        result = convert_release(hosted, 'action', source=source)
        assert result['meta']['class_order'] == 'mmaction'
        assert result['meta']['dataset_meta']['classes'] == names
        assert torch.equal(result['state_dict']['cls_head.fc_cls.weight'],
                           hosted['state_dict']['cls_head.fc_cls.weight'])
    # the same head as an official release is in the official order
    official = {k[len('backbone.'):]: v for k, v in
                hosted['state_dict'].items() if k.startswith('backbone.')}
    official['head.weight'] = hosted['state_dict']['cls_head.fc_cls.weight']
    official['head.bias'] = hosted['state_dict']['cls_head.fc_cls.bias']
    assert identify_checkpoint(official) == 'official'
    moved = convert_release(official, 'action', 'k400')
    assert not torch.equal(moved['state_dict']['cls_head.fc_cls.weight'],
                           official['head.weight'])
    # mmpose's hosted pose models and mmcv 1.x official dense releases
    assert identify_checkpoint(
        {'state_dict': {'backbone.a': torch.ones(1)}},
        'top_down_256x192_global_small-d4a7fdac_20230724.pth') == 'mmpose'
    assert identify_checkpoint(golden('dense-s-hybrid14.pth')) == 'official'


def test_class_orders_are_the_published_ones():
    """Anchors of the official lists (Sense-X/UniFormer data_list) and of
    mmaction2's label maps; each pair is a permutation of one class set."""
    from uniformer_mm.weights.class_orders import (CLASS_ORDER_FILES,
                                                    video_class_names,
                                                    video_dataset_of)
    assert video_class_names('k400', 'official')[:3] == [
        'riding a bike', 'marching', 'dodgeball']
    assert video_class_names('k600', 'official')[:3] == [
        'feeding fish', 'poking bellybutton', 'sword swallowing']
    assert video_class_names('sthv1', 'mmaction')[:2] == [
        'Holding something', 'Turning something upside down']
    for dataset, (_, _, count) in CLASS_ORDER_FILES.items():
        official = video_class_names(dataset, 'official')
        mmaction = video_class_names(dataset, 'mmaction')
        assert len(set(official)) == count == len(mmaction)
        assert set(official) == set(mmaction)
    for dataset in ('k400', 'k600', 'sthv2'):
        names = video_class_names(dataset, 'mmaction')
        assert names == sorted(names)  # mmaction2's maps are alphabetical
    assert video_dataset_of(400) == 'k400'
    with pytest.raises(ValueError, match='sthv1 or --dataset sthv2'):
        video_dataset_of(174)
