"""Where the official UniFormer weights come from, for error messages.

Nothing is downloaded: configs name local paths (``checkpoints/<official
file name>``) and a missing file is reported with what it is, where it is
published and how to go on without it.
"""
import os.path as osp
import re

#: Model zoo of each official release family (Sense-X/UniFormer README
#: files, Google Drive / Baidu Cloud links; the light image models are also
#: in the Hugging Face repository ``Andy1621/uniformer_light``).
ZOOS = {
    'cls': 'the Sense-X/UniFormer image classification model zoo '
    '(image_classification/README.md)',
    'light': 'the Sense-X/UniFormer efficient-model zoo '
    '(image_classification/README.md, "efficient backbones")',
    'tl': 'the Sense-X/UniFormer token-labeling model zoo '
    '(image_classification/README.md, token labeling)',
    'video': 'the Sense-X/UniFormer video model zoo '
    '(video_classification/README.md)',
    'det': 'the Sense-X/UniFormer detection model zoo '
    '(object_detection/README.md)',
    'seg': 'the Sense-X/UniFormer segmentation model zoo '
    '(semantic_segmentation/README.md)',
    'pose': 'the Sense-X/UniFormer pose model zoo '
    '(pose_estimation/README.md)',
}

_FAMILIES = (
    (re.compile(r'_tl_(224|384)'), 'tl'),
    (re.compile(r'^uniformer_xx?s_\d+_in1k'), 'light'),
    (re.compile(r'_in1k'), 'cls'),
    (re.compile(r'_(k400|k600|sthv1|sthv2|ucf101|hmdb51)'), 'video'),
)


def release_family(path: str):
    """The zoo key of an official file name, or None if it is not one."""
    name = osp.basename(path)
    return next((family for pattern, family in _FAMILIES
                 if pattern.search(name)), None)


def describe_release(path: str) -> str:
    """``'<file>', an official ... release from <zoo>`` or a generic text."""
    family = release_family(path)
    name = osp.basename(path)
    if family is None:
        return (f'{name!r} (not an official UniFormer file name; if it is '
                'a converted or self-trained checkpoint, make it first)')
    return f'{name!r}, an official release from {ZOOS[family]}'


def missing_pretrained_message(path: str, where: str) -> str:
    """The error text for a backbone checkpoint that is not on disk.

    Args:
        path: the missing file.
        where: what named it (a config key).
    """
    return (
        f'pretrained backbone checkpoint {path!r} not found (set by '
        f'{where}).\nIt is {describe_release(path)}; nothing is downloaded, '
        'and official files load as they are (backbone weights need no '
        'conversion). To go on:\n'
        '  - put the file at that path, or\n'
        "  - point the config at your copy: `pretrained = 'PATH'` in a "
        'child config, or --cfg-options pretrained=PATH, or\n'
        '  - train from scratch on purpose: model.backbone.init_cfg=None '
        '(--cfg-options model.backbone.init_cfg=None).')


def missing_load_from_message(path: str) -> str:
    """The error text for a ``load_from`` whole-model checkpoint that is
    not on disk (whole toolbox models must be converted)."""
    return (
        f'load_from checkpoint {path!r} not found.\nA whole-model '
        'checkpoint of an official release must be converted first (the '
        'config header names the official file):\n'
        '  python tools/model_converters/uniformer_to_mm.py OFFICIAL.pth '
        f'{path} --task TASK\n'
        'or set load_from to your own checkpoint (--cfg-options '
        'load_from=PATH).')
