"""The data transforms of uniformer_mm, and every config's pipelines build.

``ClipRandAugment`` is mmpretrain's RandAugment (timm_increasing) drawn once
per clip: each test that checks the clip consistency also checks that it
would fail on a per-frame draw.
"""
import copy
import functools
import importlib
import sys

import mmcv
import numpy as np
import pytest
from mmengine.registry import DefaultScope, init_default_scope
from helpers import CONFIGS, load

import uniformer_mm  # noqa: F401  (registers uniformer_mm.ClipRandAugment)
from uniformer_mm.utils.toolboxes import toolbox_registry
from uniformer_mm.datasets import ClipRandAugment

SEEDS = range(30)
MEAN_RGB = (124, 116, 104)


def _clip(num_frames=4, shape=(48, 64), seed=0):
    rng = np.random.RandomState(seed)
    return [
        rng.randint(0, 256, shape + (3, ), dtype=np.uint8)
        for _ in range(num_frames)
    ]


def _per_frame(randaugment, rgb):
    """mmpretrain's RandAugment on one RGB frame (it works in BGR)."""
    out = randaugment(dict(img=mmcv.rgb2bgr(rgb)))['img']
    return mmcv.bgr2rgb(out)


@pytest.fixture(scope='module')
def transform():
    return ClipRandAugment()


def test_builds_from_config_in_mmaction_scope():
    from mmaction.registry import TRANSFORMS
    from mmpretrain.datasets.transforms import RandAugment, Rotate, Translate
    init_default_scope('mmaction')
    t = TRANSFORMS.build(
        dict(type='uniformer_mm.ClipRandAugment', magnitude=5, num_layers=2,
             pad_val=MEAN_RGB))
    assert isinstance(t, ClipRandAugment)
    assert DefaultScope.get_current_instance().scope_name == 'mmaction'
    ra = t.randaugment
    assert isinstance(ra, RandAugment)
    assert (ra.num_policies, ra.magnitude_level, ra.magnitude_std,
            ra.total_level) == (2, 5, 0.5, 10)
    assert len(ra.transforms) == 15  # timm's _RAND_INCREASING_TRANSFORMS
    geometric = [op for op in ra.transforms if hasattr(op, 'interpolation')]
    assert {type(op) for op in geometric} >= {Rotate, Translate}
    for op in geometric:  # fill given in RGB, passed in BGR
        assert op.interpolation == 'bicubic'
        assert op.pad_val == MEAN_RGB[::-1]
    assert all(op.prob == 0.5 for op in ra.transforms)
    # Default fill: grey 128, timm's without img_mean (official SlowFast).
    assert {op.pad_val for op in ClipRandAugment().randaugment.transforms
            if hasattr(op, 'pad_val')} == {128}


def test_same_image_clip_gets_same_ops(transform):
    frame = _clip(1)[0]
    changed = 0
    for seed in SEEDS:
        np.random.seed(seed)
        out = transform(dict(imgs=[frame.copy() for _ in range(6)]))['imgs']
        assert all(np.array_equal(o, out[0]) for o in out), seed
        changed += not np.array_equal(out[0], frame)
    assert changed > len(SEEDS) // 2

    # the check can fail: one draw per frame gives different frames
    differs = 0
    for seed in SEEDS:
        np.random.seed(seed)
        out = [_per_frame(transform.randaugment, frame) for _ in range(6)]
        differs += not all(np.array_equal(o, out[0]) for o in out)
    assert differs > 0


def test_distinct_frames_match_mmpretrain_with_the_clip_draw(transform):
    """Frame t of the clip is mmpretrain's RandAugment on frame t alone
    with the RNG state of the clip: the same ops, magnitudes and signs."""
    frames = _clip(5)
    ra = transform.randaugment
    repeated_op = 0
    naive_mismatch = 0
    for seed in SEEDS:
        np.random.seed(seed)
        indices = ra.random_policy_indices()
        repeated_op += len(set(indices)) < len(indices)

        np.random.seed(seed)
        out = transform(dict(imgs=list(frames)))['imgs']
        for frame, got in zip(frames, out):
            np.random.seed(seed)
            assert np.array_equal(got, _per_frame(ra, frame)), seed

        np.random.seed(seed)  # per-frame draws: would fail the check above
        naive = [_per_frame(ra, frame) for frame in frames]
        naive_mismatch += not all(
            np.array_equal(a, b) for a, b in zip(naive, out))
    assert naive_mismatch > 0
    # an op drawn twice for a clip draws its parameters twice (as timm)
    assert repeated_op > 0


def _force_op(t, op_type, **attrs):
    """Make ``t`` apply only its first op of ``op_type``, always."""
    ra = t.randaugment
    index = next(i for i, op in enumerate(ra.transforms)
                 if type(op).__name__ == op_type)
    ra.random_policy_indices = lambda: [index]
    for key, value in dict(prob=1.0, **attrs).items():
        setattr(ra.transforms[index], key, value)


def test_colour_op_sees_bgr():
    """Desaturation towards the luma of pure red, 0.299 * 255 = 76 (it
    would be 0.114 * 255 = 29 if RGB frames went to the BGR ops as is)."""
    t = ClipRandAugment(magnitude=10, magnitude_std=0)
    _force_op(t, 'ColorTransform', random_negative_prob=1.0)  # factor 0.1
    red = np.zeros((8, 8, 3), np.uint8)
    red[..., 0] = 255
    out = t(dict(imgs=[red, red]))['imgs'][0]
    expected = (0.1 * 255 + 0.9 * 76, 0.9 * 76, 0.9 * 76)
    assert np.abs(out[0, 0].astype(float) - expected).max() <= 2, out[0, 0]


def test_fill_is_given_in_rgb():
    t = ClipRandAugment(magnitude=10, magnitude_std=0, pad_val=(200, 10, 0))
    _force_op(t, 'Translate', random_negative_prob=0.0)  # 0.45 W right
    frames = _clip(3, shape=(16, 40))
    out = t(dict(imgs=frames))['imgs']
    for frame, got in zip(frames, out):
        assert (got[:, :17] == (200, 10, 0)).all()
        assert np.array_equal(got[:, 18:], frame[:, :22])


def test_keys_types_and_input_left_alone(transform):
    frames = _clip(4, shape=(30, 50))
    kept = copy.deepcopy(frames)
    np.random.seed(0)
    results = transform(dict(imgs=frames, img_shape=(30, 50), label=3))
    assert results['img_shape'] == (30, 50) and results['label'] == 3
    assert isinstance(results['imgs'], list) and len(results['imgs']) == 4
    for got in results['imgs']:
        assert got.dtype == np.uint8 and got.shape == (30, 50, 3)
    assert all(np.array_equal(a, b) for a, b in zip(frames, kept))

    np.random.seed(0)
    stacked = transform(dict(imgs=np.stack(kept)))['imgs']
    assert isinstance(stacked, np.ndarray) and stacked.shape == (4, 30, 50, 3)
    assert np.array_equal(stacked, np.stack(results['imgs']))


def test_pickles_after_use():
    """DataLoader workers started with 'spawn' pickle the pipeline; mmcv's
    cache_random_params leaves unpicklable attributes unless cleaned."""
    import pickle
    t = ClipRandAugment()
    frames = _clip(3)
    for seed in range(3):
        np.random.seed(seed)
        t(dict(imgs=list(frames)))
    copy_ = pickle.loads(pickle.dumps(t))
    np.random.seed(7)
    expected = t(dict(imgs=list(frames)))['imgs']
    np.random.seed(7)
    got = copy_(dict(imgs=list(frames)))['imgs']
    assert all(np.array_equal(a, b) for a, b in zip(expected, got))


@pytest.mark.parametrize('frame', [
    np.zeros((8, 8, 3), np.float32),
    np.zeros((8, 8), np.uint8),
    np.zeros((8, 8, 2), np.uint8),
])
def test_bad_frames_raise(transform, frame):
    with pytest.raises(ValueError, match='uint8'):
        transform(dict(imgs=[frame]))


@pytest.mark.parametrize('kwargs, name', [
    (dict(num_layers=0), 'num_layers'),
    (dict(num_layers=1.5), 'num_layers'),
    (dict(num_layers=True), 'num_layers'),
    (dict(magnitude=-1), 'magnitude'),
    (dict(magnitude=11), 'magnitude'),
    (dict(magnitude='7'), 'magnitude'),
    (dict(total_level=0), 'total_level'),
    (dict(magnitude_std=-0.5), 'magnitude_std'),
    (dict(magnitude_std='uniform'), 'magnitude_std'),
    (dict(pad_val=(1, 2)), 'pad_val'),
    (dict(pad_val=256), 'pad_val'),
    (dict(interpolation='cubic'), 'interpolation'),
])
def test_bad_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ClipRandAugment(**kwargs)


def test_missing_mmpretrain_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, 'mmpretrain.datasets', None)
    with pytest.raises(ImportError, match='pip install mmpretrain'):
        ClipRandAugment()


def test_paper_train_pipeline_runs_after_decoding():
    from mmengine.dataset import Compose
    cfg = load('configs/action/uniformer_s_8x8_k400.py')
    init_default_scope(cfg.default_scope)
    steps = [t['type'] for t in cfg.train_pipeline]
    assert 'uniformer_mm.ClipRandAugment' in steps
    pipeline = Compose(cfg.train_pipeline[steps.index('DecordDecode') + 1:])
    np.random.seed(0)
    frames = _clip(8, shape=(64, 80))
    packed = pipeline(
        dict(
            imgs=frames,
            img_shape=(64, 80),
            original_shape=(64, 80),
            label=0,
            modality='RGB',
            num_clips=1,
            clip_len=8))
    assert tuple(packed['inputs'].shape) == (1, 3, 8, 224, 224)
    assert packed['data_samples'].gt_label.tolist() == [0]


def _pipelines(dataset):
    """The pipelines of a dataset config, wrapped datasets included."""
    if dataset.get('pipeline'):
        yield dataset.pipeline
    if dataset.get('dataset'):
        yield from _pipelines(dataset.dataset)
    for inner in dataset.get('datasets', []):
        yield from _pipelines(inner)


@pytest.fixture(scope='module')
def fast_external_bases():
    """Parse faster: for every ``mmseg::_base_/...`` base MMEngine reads all
    the toolbox's metafiles (~0.3 s) before it fails with ValueError and
    falls back to the base path; remember the outcome per base."""
    from mmengine.config import config
    resolve = config._get_external_cfg_path

    @functools.lru_cache(maxsize=None)
    def outcome(*args):
        try:
            return resolve(*args), None
        except ValueError as error:
            return None, str(error)

    def cached(*args):
        path, error = outcome(*args)
        if error is not None:
            raise ValueError(error)
        return path

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, '_get_external_cfg_path', cached)
        yield


@pytest.mark.parametrize('config', CONFIGS)
def test_every_pipeline_transform_builds(config, fast_external_bases):
    """Building (not only looking up) each transform in the config's scope
    catches transforms whose constructor fails, as mmaction2's
    PytorchVideoWrapper does without a working pytorchvideo."""
    cfg = load(config)
    scope = cfg.default_scope
    importlib.import_module(scope + '.datasets')
    transforms = toolbox_registry(scope).TRANSFORMS
    init_default_scope(scope)
    built = 0
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        for pipeline in _pipelines(loader.dataset):
            for step in pipeline:
                transforms.build(copy.deepcopy(step))
                built += 1
    assert built > 0
