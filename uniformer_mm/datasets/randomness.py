"""Replaying the random draws of an mmcv transform on more data."""
from contextlib import contextmanager
from typing import Iterator

from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_random_params


@contextmanager
def shared_randomness(transform: BaseTransform):
    """mmcv's ``cache_random_params`` on one transform, which leaves it as it
    was: inside the block, the methods decorated with ``@cache_randomness``
    draw once and return the same values on every later call (so the
    transform can be replayed on other frames or on label maps). On exit mmcv
    sets the methods it wrapped back as instance attributes (copies of the
    ``cache_randomness`` descriptors holding weak references), which would
    make the transform unpicklable (DataLoader workers started with 'spawn'
    pickle the dataset); drop them, the class attributes are the same
    methods."""
    before = set(vars(transform))
    try:
        with cache_random_params(transform):
            yield
    finally:
        for name in set(vars(transform)) - before:
            delattr(transform, name)


def replayable_ops(randaugment: BaseTransform) -> Iterator[BaseTransform]:
    """The ops of one draw of an mmpretrain ``RandAugment``, each yielded
    inside its own :func:`shared_randomness` block: what the caller applies
    to several inputs (frames, a label map) gets the same random draws.
    One block per chosen op, not one for the whole RandAugment, so that an
    op drawn twice draws its parameters twice, as in timm."""
    for index in randaugment.random_policy_indices():
        op = randaugment.transforms[index]
        with shared_randomness(op):
            yield op
