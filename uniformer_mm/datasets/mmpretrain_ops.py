"""mmpretrain's transforms, imported when a uniformer_mm transform that
reuses them is built (importing uniformer_mm stays cheap)."""
from mmengine.registry import DefaultScope


def mmpretrain_transforms(user: str):
    """``mmpretrain.datasets.transforms`` (importing it registers them)."""
    try:
        from mmpretrain.datasets import transforms
    except ImportError as error:
        raise ImportError(
            f'{user} reuses transforms of mmpretrain: `pip install '
            f'mmpretrain` (or drop {user} from the pipeline)') from error
    return transforms


def build_randaugment(user: str, **kwargs):
    """mmpretrain's ``RandAugment(**kwargs)``.

    Its ``__init__`` builds the sub-policies ('AutoContrast', 'Rotate', ...)
    by bare name through the registry of the current default scope, which is
    e.g. 'mmaction' while an mmaction2 pipeline is built (and has none of
    them): build it in the 'mmpretrain' scope.
    """
    transforms = mmpretrain_transforms(user)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        return transforms.RandAugment(**kwargs)
