"""uniformer_mm.analysis.sharding: model states follow the documented
formulas; activations are the tensors saved for backward."""
from helpers import build_model, load

from uniformer_mm.analysis import activation_bytes, model_states


def test_model_states_and_activations():
    model = build_model(load('configs/demo/cls_demo.py'))
    p = sum(t.numel() for t in model.parameters())
    blocks = sorted(
        sum(t.numel() for t in b.parameters())
        for name, b in model.backbone.named_children()
        if name.startswith('blocks') for b in b)
    states = model_states(model, gpus=4, reduce_bucket=1000)
    assert states['ddp'] == 20 * p
    root = p - sum(blocks)
    assert states['fsdp'] == 16 * p / 4 + 8 * (root + sum(blocks[-2:]))
    assert states['zero2'] == 4 * p + 4 * p / 4 + 12 * p / 4 + 4 * 1000

    small = activation_bytes(model.backbone, (3, 64, 64))
    large = activation_bytes(model.backbone, (3, 128, 128))
    assert 3 * small < large < 5 * small
