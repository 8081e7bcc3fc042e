"""Token-labeling training: targets from label maps, the head's loss,
MixToken, and the token-labeling config training a step."""
import math
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from helpers import build_model, halves, load, shrink_backbone

import uniformer_mm  # noqa: F401  (registers the modules)
from uniformer_mm.models.heads.token_targets import (image_label_targets,
                                                     random_token_box,
                                                     swap_box,
                                                     token_label_targets)

K = 4  # classes
SMOOTH = 0.1


def expected_target(cls, score=10.):
    """softmax of (score at ``cls``, 0 elsewhere), smoothed officially."""
    probs = torch.full((K, ), 1.) / (math.exp(score) + K - 1)
    probs[cls] = math.exp(score) / (math.exp(score) + K - 1)
    return probs * (1 - SMOOTH + SMOOTH / K) + SMOOTH / K


# ---------------------------------------------------------------- targets
@pytest.mark.parametrize('axis, box, cls', [
    (-1, (0., 0., .5, 1.), 1),  # left half of a left/right map
    (-1, (.5, 0., 1., 1.), 2),  # right half
    (-2, (0., 0., 1., .5), 1),  # top half of a top/bottom map
    (-2, (0., .5, 1., 1.), 2),  # bottom half
])
def test_targets_come_from_the_cropped_region(axis, box, cls):
    """The crop box (x1, y1, x2, y2) selects the same region of the label
    map as of the image (no transposition)."""
    image, tokens = token_label_targets(
        halves(axis=axis).unsqueeze(0), torch.tensor([box]), K, (2, 3),
        SMOOTH)
    assert image.shape == (1, K) and tokens.shape == (1, 6, K)
    assert torch.allclose(image[0], expected_target(cls), atol=1e-5)
    # roi_align interpolates across the split at the crop border: ~1e-4
    assert torch.allclose(tokens[0], expected_target(cls).expand(6, K),
                          atol=1e-3)


def test_token_targets_follow_the_map_row_major():
    _, tokens = token_label_targets(
        halves().unsqueeze(0), torch.tensor([[0., 0., 1., 1.]]), K, (2, 2),
        SMOOTH)
    assert tokens[0].argmax(-1).tolist() == [1, 2, 1, 2]


def test_image_label_targets_smooth_indices_and_scores():
    image, tokens = image_label_targets(torch.tensor([3, 0]), 5, SMOOTH, K)
    assert torch.allclose(image[0], torch.tensor([.025, .025, .025, .925]))
    assert tokens.shape == (2, 5, K) and torch.equal(tokens[:, 2], image)
    scores = torch.tensor([[.5, .5, 0., 0.]])
    image, _ = image_label_targets(scores, 1, SMOOTH, K)
    assert torch.allclose(image, torch.tensor([[.475, .475, .025, .025]]))


def test_swap_box_takes_the_reversed_batch_inside_the_box():
    x = torch.arange(2 * 1 * 4 * 4.).view(2, 1, 4, 4)
    mixed = swap_box(x, (1, 0, 3, 2))  # rows 1-2, columns 0-1
    assert torch.equal(mixed[0, :, 1:3, 0:2], x[1, :, 1:3, 0:2])
    assert torch.equal(mixed[1, :, 1:3, 0:2], x[0, :, 1:3, 0:2])
    inside = torch.zeros(4, 4, dtype=torch.bool)
    inside[1:3, 0:2] = True
    assert torch.equal(mixed[:, :, ~inside], x[:, :, ~inside])
    np.random.seed(0)
    x1, y1, x2, y2 = random_token_box(56, 40)
    assert 0 <= x1 <= x2 <= 56 and 0 <= y1 <= y2 <= 40


# ------------------------------------------------------------------- head
def _head():
    from uniformer_mm.models.heads.token_labeling_head import \
        TokenLabelingClsHead
    init_default_scope('mmpretrain')
    head = TokenLabelingClsHead(num_classes=K, in_channels=6)
    head.init_weights()
    return head


def _soft_ce(logits, target):
    return -(target * F.log_softmax(logits, -1)).sum(-1).mean()


def _samples(labels, maps=None, boxes=None):
    from mmpretrain.structures import DataSample
    samples = [DataSample().set_gt_label(int(y)) for y in labels]
    for i, sample in enumerate(samples):
        if maps is not None:
            sample.set_field(maps[i].numpy(), 'token_label')
            sample.set_field(np.asarray(boxes[i], np.float32),
                             'token_label_box')
    return samples


def test_head_loss_without_label_maps_is_the_official_2d_path():
    """Every token learns the smoothed image label; cls + dense losses."""
    head = _head()
    feats = (torch.randn(2, 6, 2, 3), )
    losses = head.loss(feats, _samples([1, 3]))
    tokens = feats[0].flatten(2).transpose(1, 2)
    target = image_label_targets(torch.tensor([1, 3]), 6, SMOOTH, K)[0]
    assert torch.allclose(losses['loss_cls'],
                          _soft_ce(head.fc(tokens.mean(1)), target))
    aux = head.aux_fc(tokens)
    expected = _soft_ce(aux.reshape(-1, K), target.repeat_interleave(6, 0))
    assert torch.allclose(losses['loss_token'], expected)


def test_head_loss_with_label_maps_and_mixtoken():
    """Token outputs are un-mixed, the image target mixed by the kept area,
    targets come from the label maps of each sample."""
    head = _head()
    maps = torch.stack([halves(), halves(first=3, second=0)])
    boxes = [(0., 0., 1., 1.), (0., 0., 1., 1.)]
    feats = (torch.randn(2, 6, 2, 2), )
    box = (0, 1, 1, 2)  # token (0, 1): 1 of 4 tokens taken from the other
    losses = head.loss(feats, _samples([0, 0], maps, boxes), mix_box=box)

    image_t, token_t = token_label_targets(maps, torch.tensor(boxes), K,
                                           (2, 2), SMOOTH)
    lam = 1 - 1 / 4
    image_t = lam * image_t + (1 - lam) * image_t.flip(0)
    tokens = feats[0].flatten(2).transpose(1, 2)
    assert torch.allclose(losses['loss_cls'],
                          _soft_ce(head.fc(tokens.mean(1)), image_t))
    aux = head.aux_fc(tokens).clone()
    aux[[0, 1], 1] = aux[[1, 0], 1]  # token 1 = row 0, column 1
    assert torch.allclose(losses['loss_token'],
                          _soft_ce(aux.reshape(-1, K), token_t.reshape(-1, K)))
    # the prediction is the official evaluation logits
    assert torch.allclose(
        head(feats),
        head.fc(tokens.mean(1)) + 0.5 * head.aux_fc(tokens).max(1).values)


def test_head_refuses_partial_label_maps():
    head = _head()
    samples = _samples([0, 1], torch.stack([halves(), halves()]),
                       [(0, 0, 1, 1)] * 2)
    del samples[1].token_label
    with pytest.raises(ValueError, match='every sample'):
        head.loss((torch.randn(2, 6, 2, 2), ), samples)
    samples = _samples([0, 1], torch.stack([halves(), halves()]),
                       [(0, 0, 1, 1)] * 2)
    for sample in samples:
        sample.set_gt_score(torch.full((K, ), .25))
    with pytest.raises(ValueError, match='set train_cfg=None'):
        head.loss((torch.randn(2, 6, 2, 2), ), samples)


# ------------------------------------------------------------- MixToken
def test_mixtoken_mixes_the_stem_tokens_and_tells_the_head():
    from mmpretrain.registry import MODELS
    init_default_scope('mmpretrain')
    model = MODELS.build(
        dict(type='uniformer_mm.TokenLabelingClassifier',
             backbone=dict(type='uniformer_mm.UniFormer', out_norm='BN',
                           arch=dict(depths=[1, 1, 1, 1],
                                     embed_dims=[8, 16, 24, 32],
                                     head_dim=8, mlp_ratio=2)),
             head=dict(type='uniformer_mm.TokenLabelingClsHead',
                       num_classes=K, in_channels=32)))
    inputs = torch.randn(2, 3, 64, 64)
    seen, told = [], []
    model.backbone.blocks1[0].register_forward_pre_hook(
        lambda module, args: seen.append(args[0]))
    head_loss = model.head.loss
    model.head.loss = lambda feats, samples, mix_box=None: (
        told.append(mix_box) or head_loss(feats, samples, mix_box))
    np.random.seed(3)
    losses = model.loss(inputs, _samples([0, 1]))
    assert set(losses) == {'loss_cls', 'loss_token'}
    np.random.seed(3)
    box = random_token_box(16, 16)
    with torch.no_grad():
        stem = model.backbone.patch_embed1(inputs)
    assert torch.allclose(seen[0], swap_box(stem, box), atol=1e-6)
    assert told == [tuple(v // 8 for v in box)]  # stride 4 -> 32
    model.mix_token_alpha = 0  # off: nothing mixed, no box
    model.loss(inputs, _samples([0, 1]))
    assert told[-1] is None and torch.allclose(seen[-1], stem, atol=1e-6)


# ------------------------------------------------------------- transforms


# ------------------------------------------------------------ the config
def test_token_labeling_config_trains_on_label_maps(tmp_path):
    """The paper TL config's pipeline and model on two images with label
    maps: one training step of the real recipe (MixToken on)."""
    from mmengine.dataset import Compose, pseudo_collate
    cfg = load('configs/cls/uniformer_s_tl_300e_in1k.py')
    shrink_backbone(cfg)
    init_default_scope('mmpretrain')
    samples = []
    for i in range(2):
        img_path = tmp_path / 'train' / 'n01' / f'img_{i}.JPEG'
        img_path.parent.mkdir(parents=True, exist_ok=True)
        mmcv.imwrite(
            np.random.RandomState(i).randint(0, 256, (90, 120, 3), np.uint8),
            str(img_path))
        label_path = tmp_path / 'labels' / 'n01' / f'img_{i}.pt'
        label_path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(
            torch.stack([
                torch.rand(5, 14, 14) * 10,
                torch.randint(0, 1000, (5, 14, 14)).float()
            ]), label_path)
        samples.append(dict(img_path=str(img_path), gt_label=i))
    pipeline = [
        dict(t, label_root=str(tmp_path / 'labels'))
        if t['type'] == 'uniformer_mm.LoadTokenLabel' else t
        for t in cfg.train_dataloader.dataset.pipeline
    ]
    pipeline = Compose(pipeline)
    data = pseudo_collate([pipeline(dict(s)) for s in samples])
    assert data['inputs'][0].shape == (3, 224, 224)
    assert data['data_samples'][0].token_label.shape == (2, 5, 14, 14)
    model = build_model(cfg)
    model.train()
    data = model.data_preprocessor(data, True)
    losses = model.loss(**data)
    assert set(losses) == {'loss_cls', 'loss_token'}
    assert all(torch.isfinite(v) for v in losses.values())
    sum(losses.values()).backward()
    assert model.head.aux_fc.weight.grad.abs().sum() > 0
    assert osp.basename(cfg.token_label_root) == 'label_top5_train_nfnet'

    # Without label maps (LoadTokenLabel dropped): the image-label fallback.
    without_maps = Compose([
        t for t in cfg.train_dataloader.dataset.pipeline
        if t['type'] != 'uniformer_mm.LoadTokenLabel'
    ])
    data = pseudo_collate([without_maps(dict(s)) for s in samples])
    assert 'token_label' not in data['data_samples'][0]
    losses = model.loss(**model.data_preprocessor(data, True))
    assert all(torch.isfinite(v) for v in losses.values())
