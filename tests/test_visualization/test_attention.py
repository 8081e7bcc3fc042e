"""Attention recording on tiny random models: exact, every block kind."""
import pytest
import torch

from uniformer_mm.models import UniFormer
from uniformer_mm.visualization.attention import (AttentionRecorder,
                                                  block_maps, record_attention,
                                                  rollout)

TINY = dict(depths=[1, 1, 4, 2], embed_dims=[16, 16, 32, 32], head_dim=16,
            mlp_ratio=2)


def _model(**kwargs):
    torch.manual_seed(0)
    return UniFormer(arch=dict(TINY, **kwargs.pop('arch', {})),
                     **kwargs).eval()


CASES = {
    'global': (dict(), (1, 3, 96, 96)),
    'hybrid': (dict(attn_modes=('hybrid', 'window'), window_size=2),
               (1, 3, 96, 112)),
    'hourglass': (dict(arch=dict(token_keep_ratio=0.6)), (2, 3, 128, 128)),
    'video': (dict(video=True), (1, 3, 4, 64, 64)),
    'split': (dict(video=True, attn_modes='split'), (1, 3, 4, 64, 64)),
}


@pytest.mark.parametrize('case', sorted(CASES))
def test_recording_is_exact_and_normalised(case):
    kwargs, shape = CASES[case]
    model = _model(**kwargs)
    x = torch.rand(shape)
    with torch.no_grad():
        plain = model(x)
    with torch.no_grad(), AttentionRecorder(model) as recorder:
        hooked = model(x)
    for a, b in zip(plain, hooked):
        assert torch.equal(a, b)  # the hooks do not touch the numerics
    records = recorder.records
    assert len(records) == 6
    for record in records:
        n = record.attn.shape[-1]
        assert n == torch.Size(record.grid).numel() + record.has_cls
        assert torch.allclose(record.attn.sum(-1), torch.ones(()), atol=1e-5)
        maps = block_maps(record)
        assert maps.shape[2:] == record.grid
    roll = rollout(records)
    assert roll.shape == (shape[0], *records[0].grid)
    assert torch.isfinite(roll).all() and roll.std() > 0
    modes = {r.mode for r in records}
    expected = {'global': {'global'}, 'hybrid': {'window', 'global'},
                'hourglass': {'hourglass'}, 'video': {'global'},
                'split': {'split'}}[case]
    assert modes == expected
    if case == 'hourglass':
        assert all(r.scores is not None for r in records)


def test_global_probs_reproduce_the_block():
    """softmax(q k^T) v through the block's proj equals its attention."""
    model = _model()
    block = model.blocks3[0]
    x = torch.rand(1, 32, 4, 4)
    record = record_attention(block, x)[0]
    with torch.no_grad():
        tokens = block.norm1(block.position_encoding(x).flatten(2).transpose(
            1, 2))
        B, N, C = tokens.shape
        v = block.attn.qkv(tokens).reshape(B, N, 3, 2, C // 2)[:, :, 2]
        out = (record.attn @ v.transpose(1, 2)).transpose(1, 2).reshape(
            B, N, C)
        assert torch.allclose(block.attn.proj(out), block.attn(tokens),
                              atol=1e-5)
