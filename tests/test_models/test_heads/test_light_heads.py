"""The light (hourglass) models' two heads, pooled and class token,
trained as the official code does."""
import pytest
import torch
from helpers import GOLDEN, TINY_LIGHT, golden, mmpretrain_classifier

from uniformer_mm.weights import (convert_official_checkpoint,
                                  unwrap_state_dict)


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
    model = mmpretrain_classifier(
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
