"""Reading official release containers and fitting them to a backbone:
unwrapping, the backbone part, variant refusal, 2D -> 3D inflation."""
import pickle
from pathlib import Path

import pytest
import torch
from helpers import GOLDEN, TINY, golden

from uniformer_mm.models import UniFormer
from uniformer_mm.weights import (backbone_state_dict,
                                  inflate_state_dict,
                                  inflate_weight, load_backbone_checkpoint,
                                  read_checkpoint, unwrap_state_dict)


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


@pytest.mark.parametrize('source,target', [('xxs-ls', 'xxs'),
                                           ('xxs', 'xxs-ls')])
def test_light_layer_scale_families_are_told_apart(source, target, tmp_path):
    """A video light-ls checkpoint (no gamma_3) refused by an image-light
    arch, and the reverse, each naming the arch that fits."""
    path = tmp_path / f'{source}.pth'
    weights = UniFormer(arch=source, video=True, out_norm='BN').state_dict()
    torch.save(weights, path)
    model = UniFormer(arch=target, video=True, out_norm='BN',
                      init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    with pytest.raises(ValueError, match=f"arch '{source}'"):
        model.init_weights()
    fitting = UniFormer(arch=source, video=True, out_norm='BN',
                        init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    fitting.init_weights()
    assert all(torch.equal(fitting.state_dict()[k], v)
               for k, v in weights.items())


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
