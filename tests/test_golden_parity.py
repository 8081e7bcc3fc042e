"""Parity with the official UniFormer on the golden reference cases.

Each case (tests/data/golden, copied from shared/golden; see its README) is an
official-format checkpoint of a tiny model, an input, and the outputs of the
official implementation. The backbone is built from a config dict through the
registry, loads the checkpoint through ``init_cfg`` and must reproduce every
output within the case's measured tolerance.
"""
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from uniformer_mm.weights import read_checkpoint, unwrap_state_dict
from uniformer_mm.registry import MODELS

GOLDEN = Path(__file__).parent / 'data' / 'golden'
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
}


def build_pretrained(kwargs: dict, checkpoint: str):
    model = MODELS.build(
        dict(type='uniformer_mm.UniFormer',
             init_cfg=dict(type='Pretrained',
                           checkpoint=str(GOLDEN / checkpoint)),
             **kwargs))
    model.init_weights()
    return model.eval()


def run_with_stage_outputs(model, inputs):
    """Forward, also capturing each stage's last block output."""
    stages = {}

    def hook(index):

        def save(module, args, output):
            stages[f'stage_{index}'] = output[0] if isinstance(
                output, tuple) else output

        return save

    handles = [
        getattr(model, f'blocks{i}')[-1].register_forward_hook(hook(i))
        for i in range(1, 5)
    ]
    with torch.no_grad():
        outputs = model(inputs)
    for handle in handles:
        handle.remove()
    return outputs, stages


def classifier_logits(name, features, cls_token, checkpoint):
    """Official classifier on top of the backbone features (eval mode)."""
    weights = unwrap_state_dict(read_checkpoint(str(GOLDEN / checkpoint)))
    pooled = features.flatten(2).mean(-1)
    logits = F.linear(pooled, weights['head.weight'], weights['head.bias'])
    outputs = {'logits': logits, 'features': features, 'cls_token': cls_token}
    if name == 'tl-l-ls':
        tokens = features.flatten(2).transpose(1, 2)
        aux = F.linear(tokens, weights['aux_head.weight'],
                       weights['aux_head.bias'])
        outputs.update(cls_logits=logits, aux_logits=aux,
                       logits=logits + 0.5 * aux.max(1).values)
    return outputs


@pytest.mark.parametrize('name', sorted(CASES))
def test_golden_case(name):
    expected = torch.load(GOLDEN / f'{name}.expected.pt', weights_only=False)
    kwargs, checkpoint = CASES[name]
    model = build_pretrained(kwargs, checkpoint)
    tolerance = dict(atol=expected['tolerance']['atol'],
                     rtol=expected['tolerance']['rtol'])

    outputs, stages = run_with_stage_outputs(model, expected['input'])
    if kwargs.get('out_norm', 'LN') == 'LN':
        produced = dict(zip(['out1', 'out2', 'out3', 'out4'], outputs))
    else:
        features = outputs if kwargs.get('video') else outputs[0]
        cls_token = None
        if model.hourglass:
            with torch.no_grad():
                _, cls_token, _ = _last_block_outputs(model,
                                                      expected['input'])
        produced = classifier_logits(name, features, cls_token, checkpoint)

    for out_name, reference in zip(expected['output_names'],
                                   expected['outputs']):
        got = produced[out_name]
        assert got.shape == reference.shape, out_name
        diff = (got - reference).abs().max().item()
        assert torch.allclose(got, reference, **tolerance), \
            f'{name}/{out_name}: max |diff| {diff:.2e}'
    for stage, reference in expected['intermediates'].items():
        assert torch.allclose(stages[stage], reference, **tolerance), \
            f'{name}/{stage}'


def _last_block_outputs(model, inputs):
    captured = {}
    handle = model.blocks4[-1].register_forward_hook(
        lambda m, a, out: captured.setdefault('out', out))
    model(inputs)
    handle.remove()
    return captured['out']
