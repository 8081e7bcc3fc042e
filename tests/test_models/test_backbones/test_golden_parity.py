"""Parity with the official UniFormer on the golden reference cases.

Each case (tests/data/golden, copied from shared/golden; see its README) is an
official-format checkpoint of a tiny model, an input, and the outputs of the
official implementation. The backbone is built from a config dict through the
registry, loads the checkpoint through ``init_cfg`` and must reproduce every
output within the case's measured tolerance.
"""
import pytest
import torch
import torch.nn.functional as F

from helpers import CASES, GOLDEN, build_pretrained

from uniformer_mm.weights import read_checkpoint, unwrap_state_dict


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
