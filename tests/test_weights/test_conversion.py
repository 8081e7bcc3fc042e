"""Converting official and hosted releases to the toolboxes' models: key
maps, class orders, dataset_meta, the converter CLI."""
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from helpers import (GOLDEN, REPO, TINY, TINY_LIGHT, golden,
                     mmpretrain_classifier)

from uniformer_mm.weights import (convert_official_checkpoint,
                                  unwrap_state_dict)


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
    script = Path(REPO) / 'tools' / 'model_converters' / 'uniformer_to_mm.py'
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
    model = mmpretrain_classifier(backbone, head)
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
    from uniformer_mm.weights.class_orders import (
        CLASS_ORDER_FILES, video_class_names, video_dataset_of)
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
