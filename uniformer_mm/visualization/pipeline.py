"""What a config's data pipeline does to its samples, step by step.

Every transform of the dataset's pipeline (wrapped datasets included) is
replaced by a recorder that calls it and keeps a picture of its output, so
the steps are seen whoever calls them: ``Compose``, or mmaction2's
``RepeatAugDataset``, which runs the transforms one by one (load once,
augment ``num_repeats`` times). Pictures: the image (``img``), the clip
(``imgs``, up to ``max_frames`` frames), the packed ``inputs``, and the
token-labeling map (``token_label``: the top-1 class per location, shaded by
its score, with the recorded crop box ``token_label_box``).

The toolboxes' own ``browse_dataset`` tools fail on these configs
(mmpretrain 1.2.0: the ``_scope_`` key of an inherited visualizer, then
matplotlib's ``adjust_bbox`` signature; mmaction2 1.2.0: its hook on
``Compose`` never runs under ``RepeatAugDataset``); this module needs
neither matplotlib nor a visualizer.
"""
from dataclasses import dataclass, field
from typing import Callable, List, Optional

import numpy as np

from uniformer_mm.visualization.drawing import labelled


@dataclass
class Step:
    """One transform's output.

    Attributes:
        name: the transform's class name.
        frames: its picture, ``(T, H, W, 3)`` uint8 BGR (``T=1`` for an
            image), or None when the output holds none yet (e.g. a decoder's
            init) or the transform dropped the sample.
        token_label: the token-label map drawn ``(h, w, 3)`` uint8 BGR, if
            the output carries one.
        token_label_box: the recorded crop ``(x1, y1, x2, y2)`` as fractions
            of the map, if any.
    """
    name: str
    frames: Optional[np.ndarray] = None
    token_label: Optional[np.ndarray] = None
    token_label_box: Optional[np.ndarray] = None

    @property
    def caption(self) -> str:
        if self.frames is None:
            return f'{self.name}: no picture'
        t, h, w = self.frames.shape[:3]
        return f'{self.name} {t}x{h}x{w}' if t > 1 else f'{self.name} {h}x{w}'


@dataclass
class Sample:
    """The recorded steps of one dataset item (``source``: its file)."""
    index: int
    source: Optional[str] = None
    steps: List[Step] = field(default_factory=list)


def _first_view(array: np.ndarray, layout: Optional[str]) -> np.ndarray:
    """Frames ``(T, H, W, C)`` of a formatted clip: mmaction2's
    ``FormatShape`` layouts ``NCTHW`` / ``NCHW`` (the first clip of
    ``NCTHW``) or an image ``CHW``."""
    if layout == 'NCTHW' or (layout is None and array.ndim == 5):
        return array[0].transpose(1, 2, 3, 0)
    if layout == 'NCHW' or array.ndim == 4:
        return array.transpose(0, 2, 3, 1)
    return array.transpose(1, 2, 0)[None]


def _as_frames(results: dict) -> Optional[np.ndarray]:
    """The picture of a pipeline's ``results``, ``(T, H, W, C)`` as they
    are (channel order of the loader), or None."""
    if 'img' in results and isinstance(results['img'], np.ndarray):
        img = results['img']
        return (img[..., None] if img.ndim == 2 else img)[None]
    imgs = results.get('imgs')
    if isinstance(imgs, (list, tuple)) and imgs and isinstance(
            imgs[0], np.ndarray):
        return np.stack([i[..., None] if i.ndim == 2 else i for i in imgs])
    if isinstance(imgs, np.ndarray):
        if imgs.ndim == 4 and imgs.shape[-1] in (1, 3):
            return imgs
        return _first_view(imgs, results.get('input_format'))
    inputs = results.get('inputs')
    if inputs is not None and hasattr(inputs, 'numpy'):
        return _first_view(inputs.numpy(), None)
    return None


def _to_bgr_uint8(frames: np.ndarray, rgb: bool,
                  max_frames: int) -> np.ndarray:
    if frames.shape[0] > max_frames:
        keep = np.linspace(0, frames.shape[0] - 1, max_frames).round()
        frames = frames[keep.astype(int)]
    if frames.shape[-1] == 1:
        frames = np.repeat(frames, 3, axis=-1)
    elif rgb:
        frames = frames[..., ::-1]
    return np.ascontiguousarray(np.clip(frames, 0, 255).astype(np.uint8))


def draw_token_label(token_label: np.ndarray) -> np.ndarray:
    """The top-1 map of a token label ``(2, k, h, w)`` (scores, class
    indices) as ``(h, w, 3)`` BGR uint8: a colour per class, darker where
    the teacher's score is low."""
    import cv2
    classes = token_label[1, 0].astype(np.int64)
    scores = np.clip(token_label[0, 0], 0, 1)
    hues = np.uint8((classes * 47) % 180)
    hsv = np.stack([
        hues,
        np.full_like(hues, 200),
        np.uint8(55 + 200 * scores),
    ], axis=-1)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)


def _step(name: str, results, rgb: bool, max_frames: int) -> Step:
    if not isinstance(results, dict):
        return Step(name)
    frames = _as_frames(results)
    step = Step(name, None if frames is None else _to_bgr_uint8(
        frames, rgb, max_frames))
    if results.get('token_label') is not None:
        step.token_label = draw_token_label(np.asarray(results['token_label']))
        box = results.get('token_label_box')
        step.token_label_box = None if box is None else np.asarray(box)
    return step


class _Recorded:
    """A transform that records a :class:`Step` of each output."""

    def __init__(self, transform: Callable, sink: List[Step], rgb: bool,
                 max_frames: int):
        self.transform = transform
        self.sink = sink
        self.rgb = rgb
        self.max_frames = max_frames

    def __call__(self, results):
        out = self.transform(results)
        self.sink.append(
            _step(
                type(self.transform).__name__, out, self.rgb,
                self.max_frames))
        return out

    def __getattr__(self, name):  # the wrapped transform's attributes
        return getattr(self.transform, name)


def _pipelines(dataset):
    """The ``Compose`` pipelines of a dataset and the datasets it wraps."""
    pipeline = getattr(dataset, 'pipeline', None)
    if pipeline is not None and hasattr(pipeline, 'transforms'):
        yield pipeline
    inner = getattr(dataset, 'dataset', None)
    if inner is not None:
        yield from _pipelines(inner)
    for inner in getattr(dataset, 'datasets', None) or ():
        yield from _pipelines(inner)


def record_pipeline(dataset, rgb: bool, max_frames: int = 8) -> List[Step]:
    """Wrap every transform of ``dataset`` in a recorder; returns the list
    the steps are appended to (clear it between items).

    Args:
        dataset: a built dataset (wrappers and ``RepeatAugDataset`` too).
        rgb: the loader gives RGB (mmaction2's decoders) rather than BGR
            (mmcv's ``LoadImageFromFile``).
        max_frames: frames kept per clip, evenly spaced.
    """
    sink: List[Step] = []
    found = False
    for pipeline in _pipelines(dataset):
        found = True
        pipeline.transforms = [
            _Recorded(t, sink, rgb, max_frames) for t in pipeline.transforms
        ]
    if not found:
        raise ValueError(f'{type(dataset).__name__} has no pipeline to record')
    return sink


def browse(dataset,
           indices,
           rgb: bool,
           max_frames: int = 8) -> List[Sample]:
    """Load ``dataset[i]`` for each index and record its steps."""
    sink = record_pipeline(dataset, rgb, max_frames)
    samples = []
    for index in indices:
        sink.clear()
        info = dataset.get_data_info(index) if hasattr(
            dataset, 'get_data_info') else {}
        dataset[index]
        source = info.get('img_path') or info.get('filename')
        samples.append(Sample(index, source, list(sink)))
    return samples


def _resized(image: np.ndarray, height: int) -> np.ndarray:
    import cv2
    width = max(1, round(image.shape[1] * height / image.shape[0]))
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_NEAREST)


def draw_steps(sample: Sample, height: int = 128) -> np.ndarray:
    """One row per step (caption, frames side by side, the token-label map
    with its crop box), rows padded to one width: ``(H, W, 3)`` BGR."""
    import cv2
    rows = []
    for step in sample.steps:
        tiles = [] if step.frames is None else [
            _resized(f, height) for f in step.frames
        ]
        if step.token_label is not None:
            label = _resized(step.token_label, height)
            if step.token_label_box is not None:
                x1, y1, x2, y2 = (step.token_label_box *
                                  np.array(label.shape[1::-1] * 2)).round()
                cv2.rectangle(label, (int(x1), int(y1)),
                              (int(x2) - 1, int(y2) - 1), (255, 255, 255), 2)
            tiles.append(label)
        caption = step.caption + (' | token label' if step.token_label
                                  is not None else '')
        gap = np.full((height, 4, 3), 255, np.uint8)
        body = np.concatenate(
            [t for tile in tiles for t in (tile, gap)][:-1],
            axis=1) if tiles else np.zeros((0, 1, 3), np.uint8)
        rows.append(labelled(body, caption, min_width=8 * len(caption)))
    width = max(r.shape[1] for r in rows)
    return np.concatenate([
        np.pad(r, ((0, 0), (0, width - r.shape[1]), (0, 0)),
               constant_values=255) for r in rows
    ], axis=0)
