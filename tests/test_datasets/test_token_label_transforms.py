"""Token-labeling data: loading the label maps and the transforms that
move them with the image (flip, crop, RandAugment)."""
import numpy as np
import pytest
import torch
from helpers import halves
from mmengine.registry import init_default_scope

import uniformer_mm  # noqa: F401  (registers the modules)
from uniformer_mm.datasets import (LoadTokenLabel, TokenLabelRandAugment,
                                   TokenLabelRandomFlip,
                                   TokenLabelRandomResizedCrop)


# ------------------------------------------------------------- MixToken


# ------------------------------------------------------------- transforms
def test_load_token_label(tmp_path):
    path = tmp_path / 'labels' / 'n01' / 'img_1.pt'
    path.parent.mkdir(parents=True)
    torch.save(halves(), path)
    load_label = LoadTokenLabel(label_root=str(tmp_path / 'labels'))
    results = load_label(dict(img_path='/data/train/n01/img_1.JPEG'))
    assert results['token_label'].shape == (2, 1, 8, 8)
    assert results['token_label'].dtype == np.float32
    with pytest.raises(FileNotFoundError, match='n01/img_2.pt'):
        load_label(dict(img_path='/data/train/n01/img_2.JPEG'))
    torch.save(torch.zeros(3, 8), path)
    with pytest.raises(ValueError, match=r'\(2, k, h, w\)'):
        load_label(dict(img_path='/data/train/n01/img_1.JPEG'))


def test_flip_moves_the_label_map_with_the_image():
    label = halves().numpy()
    results = TokenLabelRandomFlip(prob=1.)(
        dict(img=np.zeros((8, 8, 3), np.uint8), token_label=label))
    assert results['flip'] and np.array_equal(results['token_label'],
                                              label[..., ::-1])


def test_crop_records_its_box():
    init_default_scope('mmpretrain')
    crop = TokenLabelRandomResizedCrop(scale=32)
    img = np.zeros((60, 80, 3), np.uint8)
    np.random.seed(5)
    top, left, h, w = crop.crop.rand_crop_params(img)
    np.random.seed(5)
    results = crop(dict(img=img))
    assert results['img'].shape[:2] == (32, 32)
    assert np.allclose(results['token_label_box'],
                       [left / 80, top / 60, (left + w) / 80, (top + h) / 60])


def _bar(width=40, height=20, column=10):
    img = np.zeros((height, width, 3), np.uint8)
    img[:, column] = 255
    return img


def test_randaugment_moves_the_label_map_with_geometric_ops_only():
    """A forced translation moves the image and the label map by the same
    fraction of their widths (nearest, zero fill); a colour op leaves the
    label map alone."""
    init_default_scope('mmpretrain')
    translate = TokenLabelRandAugment(
        policies=[dict(type='Translate', magnitude_range=(0, 0.5), prob=1.,
                       random_negative_prob=0., direction='horizontal')],
        num_policies=1, magnitude_level=5, total_level=10)  # 0.25 of width
    label = np.zeros((2, 1, 4, 8), np.float32)
    label[0, 0, :, 2] = 7.  # column 2 of 8 = the image's column 10 of 40
    label[1, 0, :, 2] = 3.
    out = translate(dict(img=_bar(), token_label=label.copy()))
    assert np.argmax(out['img'][0, :, 0]) == 10 + 10
    moved = out['token_label']
    assert np.argmax(moved[0, 0, 0]) == 2 + 2
    assert set(np.unique(moved[0])) == {0., 7.}  # nearest, zero fill
    assert set(np.unique(moved[1])) == {0., 3.}

    invert = TokenLabelRandAugment(
        policies=[dict(type='Invert', prob=1.)], num_policies=1,
        magnitude_level=5)
    out = invert(dict(img=_bar(), token_label=label.copy()))
    assert out['img'][0, 0, 0] == 255 and np.array_equal(
        out['token_label'], label)


# ------------------------------------------------------------ the config
