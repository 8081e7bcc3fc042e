"""Replaying the random draws of an mmcv transform on more data."""
from contextlib import contextmanager

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
