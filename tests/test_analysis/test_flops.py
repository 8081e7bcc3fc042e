"""uniformer_mm.analysis: the model and input of a config, and the FLOPs
counter with its attention handle (the paper's figure for UniFormer-S is
checked through the tool in test_configs)."""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from helpers import load

from uniformer_mm.analysis import count_flops, get_flops, input_shape
from uniformer_mm.utils.errors import FixableError


def test_input_shape():
    image, video = load('configs/demo/cls_demo.py'), load(
        'configs/demo/action_demo.py')
    assert input_shape(image) == (3, 224, 224)
    assert input_shape(image, [96]) == (3, 96, 96)
    assert input_shape(video) == (3, 8, 224, 224)
    with pytest.raises(FixableError, match='T H W'):
        input_shape(video, [64, 64])
    with pytest.raises(FixableError, match='H W'):
        input_shape(image, [1, 2, 3])


def test_get_flops_counts_attention():
    """The demo classifier at 64x64: the feature path counts less than the
    full model (the head); ``scaled_dot_product_attention`` is counted as
    ``Q K^T`` plus ``A V``."""
    cfg = load('configs/demo/cls_demo.py')
    feat = get_flops(cfg, [64])
    full = get_flops(cfg, [64], mode='full')
    assert 0 < feat['flops'] < full['flops']
    assert feat['params'] == full['params']
    assert feat['input_shape'] == (3, 64, 64)
    with pytest.raises(FixableError, match='--mode full is not supported'):
        get_flops(load('configs/demo/det_demo.py'), [64], mode='full')


def test_sdpa_handle():
    """``scaled_dot_product_attention`` counts as ``Q K^T`` plus ``A V``."""

    class Attention(nn.Module):

        def forward(self, q, k, v):
            return F.scaled_dot_product_attention(q, k, v)

    q, k, v = torch.rand(2, 3, 16, 8), torch.rand(2, 3, 9, 8), torch.rand(
        2, 3, 9, 4)
    assert count_flops(Attention(), (q, k, v)).total() == \
        2 * 3 * 16 * 9 * (8 + 4)
