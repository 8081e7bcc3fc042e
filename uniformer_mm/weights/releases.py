"""Every published UniFormer weight file this project knows, in one table.

The table drives the configs (a backbone's ``init_cfg`` names a release's
:attr:`Release.checkpoint`: its URL, or ``checkpoints/<official name>``
where the file is published on Google Drive / Baidu only), the metafiles
(``Weights:`` of the models a peer hosts in a toolbox layout, ``Converted
From:`` of the others), the READMEs and ``mim download``; the tests check
that they agree. Hashes are the first hex digits of the file's sha256:
OpenMMLab file names carry them (``..._20221219-fe0a7ae0.pth``, mmpose
``...-d4a7fdac_20230724.pth``), Hugging Face shows them as the Git LFS
object id.
"""
import os.path as osp
from typing import NamedTuple, Optional
from urllib.parse import urlparse

MMACTION = 'https://download.openmmlab.com/mmaction/v1.0/recognition/' \
    'uniformerv1/'
MMPOSE = 'https://download.openmmlab.com/mmpose/v1/projects/uniformer/'
HF_IMAGE = 'https://huggingface.co/Sense-X/uniformer_image/resolve/main/'
HF_VIDEO = 'https://huggingface.co/Sense-X/uniformer_video/resolve/main/'
HF_LIGHT = 'https://huggingface.co/Andy1621/uniformer_light/resolve/main/'

#: Public pages that name the files (the ``source`` of each release).
MMACTION_BACKBONE = 'open-mmlab/mmaction2 mmaction/models/backbones/' \
    'uniformer.py'
MMACTION_ZOO = 'open-mmlab/mmaction2 configs/recognition/uniformer/' \
    'metafile.yml'
MMPOSE_ZOO = 'open-mmlab/mmpose projects/uniformer/README.md'
HF_IMAGE_PAGE = 'https://huggingface.co/Sense-X/uniformer_image'
HF_VIDEO_PAGE = 'https://huggingface.co/Sense-X/uniformer_video'
HF_LIGHT_PAGE = 'https://huggingface.co/Andy1621/uniformer_light'
ZOOS = {
    'cls': 'the Sense-X/UniFormer image classification model zoo '
    '(image_classification/README.md, Google Drive / Baidu)',
    'action': 'the Sense-X/UniFormer video model zoo '
    '(video_classification/README.md, Google Drive / Baidu)',
    'det': 'the Sense-X/UniFormer detection model zoo '
    '(object_detection/README.md, Google Drive / Baidu)',
    'seg': 'the Sense-X/UniFormer segmentation model zoo '
    '(semantic_segmentation/README.md, Google Drive / Baidu)',
    'pose': 'the Sense-X/UniFormer pose model zoo '
    '(pose_estimation/README.md, Google Drive / Baidu)',
}


class Release(NamedTuple):
    """One published weight file.

    Attributes:
        name: the file name to place under ``checkpoints/`` (the official
            name; for hosted copies, the name in their URL).
        task: the model in the file: cls, action, det, seg or pose.
        description: variant, data, resolution.
        layout: ``official`` (Sense-X release keys: load as a backbone,
            convert for a whole model), ``mmaction2`` or ``mmpose`` (a whole
            toolbox model in that layout and class order: loads as is).
        url: where it is published; None: Google Drive / Baidu only.
        sha256: leading hex digits of the file's sha256, where known.
        source: the public page that names the URL (or the model zoo).
    """
    name: str
    task: str
    description: str
    layout: str = 'official'
    url: Optional[str] = None
    sha256: Optional[str] = None
    source: str = ''

    @property
    def checkpoint(self) -> str:
        """What a config names: the URL, or ``checkpoints/<name>``."""
        return self.url or f'checkpoints/{self.name}'

    @property
    def where(self) -> str:
        """Where to get the file by hand."""
        return self.source or ZOOS[self.task]


def _manual(name, task, description):
    return Release(name, task, description, source=ZOOS[task])


# yapf: disable
RELEASES = (
    # ImageNet-1k image models (official layout): backbone init of the
    # det / seg / pose / Kinetics configs.
    Release('uniformer_small_in1k.pth', 'cls', 'UniFormer-S, ImageNet-1k, 224',
            url=MMACTION + 'uniformer_small_in1k_20221219-fe0a7ae0.pth',
            sha256='fe0a7ae0', source=MMACTION_BACKBONE),
    Release('uniformer_base_in1k.pth', 'cls', 'UniFormer-B, ImageNet-1k, 224',
            url=MMACTION + 'uniformer_base_in1k_20221219-82c01015.pth',
            sha256='82c01015', source=MMACTION_BACKBONE),
    Release('uniformer_small_plus_in1k.pth', 'cls',
            'UniFormer-S+, ImageNet-1k, 224',
            url=HF_IMAGE + 'uniformer_small_plus_in1k.pth',
            sha256='53bc5518', source=HF_IMAGE_PAGE),
    _manual('uniformer_small_plus_dim64_in1k.pth', 'cls',
            'UniFormer-S+ (head dim 64), ImageNet-1k, 224'),
    _manual('uniformer_base_ls_in1k.pth', 'cls',
            'UniFormer-B with layer scale, ImageNet-1k, 224'),
    Release('uniformer_xxs_160_in1k.pth', 'cls',
            'UniFormer-XXS, ImageNet-1k, 160', url=HF_LIGHT +
            'uniformer_xxs_160_in1k.pth', sha256='f53dffcf',
            source=HF_LIGHT_PAGE),
    _manual('uniformer_xxs_128_in1k.pth', 'cls',
            'UniFormer-XXS, ImageNet-1k, 128'),
    _manual('uniformer_xxs_192_in1k.pth', 'cls',
            'UniFormer-XXS, ImageNet-1k, 192'),
    _manual('uniformer_xxs_224_in1k.pth', 'cls',
            'UniFormer-XXS, ImageNet-1k, 224'),
    _manual('uniformer_xs_192_in1k.pth', 'cls',
            'UniFormer-XS, ImageNet-1k, 192'),
    _manual('uniformer_xs_224_in1k.pth', 'cls',
            'UniFormer-XS, ImageNet-1k, 224'),
    _manual('uniformer_small_tl_224.pth', 'cls',
            'UniFormer-S, token labeling, ImageNet-1k, 224'),
    _manual('uniformer_small_plus_tl_224.pth', 'cls',
            'UniFormer-S+, token labeling, ImageNet-1k, 224'),
    _manual('uniformer_base_tl_224.pth', 'cls',
            'UniFormer-B, token labeling, ImageNet-1k, 224'),
    _manual('uniformer_large_ls_tl_224.pth', 'cls',
            'UniFormer-L, layer scale, token labeling, ImageNet-1k, 224'),
    # Official video models: Something-Something / UCF101 / HMDB51 starts
    # (16x4) and the files the action configs are converted from.
    _manual('uniformer_small_k400_16x4.pth', 'action',
            'UniFormer-S, Kinetics-400, 16x4'),
    _manual('uniformer_base_k400_16x4.pth', 'action',
            'UniFormer-B, Kinetics-400, 16x4'),
    _manual('uniformer_small_k600_16x4.pth', 'action',
            'UniFormer-S, Kinetics-600, 16x4'),
    _manual('uniformer_base_k600_16x4.pth', 'action',
            'UniFormer-B, Kinetics-600, 16x4'),
    Release('uniformer_small_k400_16x8.pth', 'action',
            'UniFormer-S, Kinetics-400, 16x8', url=HF_VIDEO +
            'uniformer_small_k400_16x8.pth', sha256='d5fd7b0c',
            source=HF_VIDEO_PAGE),
    Release('uniformer_small_k600_16x8.pth', 'action',
            'UniFormer-S, Kinetics-600, 16x8', url=HF_VIDEO +
            'uniformer_small_k600_16x8.pth', sha256='2a9143a6',
            source=HF_VIDEO_PAGE),
    Release('uniformer_base_k400_32x4.pth', 'action',
            'UniFormer-B, Kinetics-400, 32x4', url=HF_VIDEO +
            'uniformer_base_k400_32x4.pth', sha256='b4324505',
            source=HF_VIDEO_PAGE),
    Release('uniformer_base_k600_32x4.pth', 'action',
            'UniFormer-B, Kinetics-600, 32x4', url=HF_VIDEO +
            'uniformer_base_k600_32x4.pth', sha256='d44685e1',
            source=HF_VIDEO_PAGE),
    Release('uniformer_small_sthv1_16_prek600.pth', 'action',
            'UniFormer-S, Something-Something V1, 16 frames, K600 start',
            url=HF_VIDEO + 'uniformer_small_sthv1_16_prek600.pth',
            sha256='9a4dbb1e', source=HF_VIDEO_PAGE),
    Release('uniformer_small_sthv2_16_prek600.pth', 'action',
            'UniFormer-S, Something-Something V2, 16 frames, K600 start',
            url=HF_VIDEO + 'uniformer_small_sthv2_16_prek600.pth',
            sha256='6b085f96', source=HF_VIDEO_PAGE),
    Release('uniformer_base_sthv1_32_prek600.pth', 'action',
            'UniFormer-B, Something-Something V1, 32 frames, K600 start',
            url=HF_VIDEO + 'uniformer_base_sthv1_32_prek600.pth',
            sha256='8da7f948', source=HF_VIDEO_PAGE),
    Release('uniformer_base_sthv2_32_prek600.pth', 'action',
            'UniFormer-B, Something-Something V2, 32 frames, K600 start',
            url=HF_VIDEO + 'uniformer_base_sthv2_32_prek600.pth',
            sha256='b7a74408', source=HF_VIDEO_PAGE),
    Release('uniformer_xxs16_160_k400.pth', 'action',
            'UniFormer-XXS, Kinetics-400, 16 frames, 160',
            url=HF_LIGHT + 'uniformer_xxs16_160_k400.pth',
            source=HF_LIGHT_PAGE),
    # Whole models hosted by the toolboxes (their layout and class order).
    Release('uniformer-small_imagenet1k-pre_16x4x1_kinetics400-rgb_'
            '20221219-c630a037.pth', 'action',
            'UniFormer-S 16x4 Kinetics-400 recognizer (mmaction2)',
            layout='mmaction2', url=MMACTION + 'uniformer-small_imagenet1k-'
            'pre_16x4x1_kinetics400-rgb_20221219-c630a037.pth',
            sha256='c630a037', source=MMACTION_ZOO),
    Release('uniformer-base_imagenet1k-pre_16x4x1_kinetics400-rgb_'
            '20221219-157c2e66.pth', 'action',
            'UniFormer-B 16x4 Kinetics-400 recognizer (mmaction2)',
            layout='mmaction2', url=MMACTION + 'uniformer-base_imagenet1k-'
            'pre_16x4x1_kinetics400-rgb_20221219-157c2e66.pth',
            sha256='157c2e66', source=MMACTION_ZOO),
    Release('uniformer-base_imagenet1k-pre_32x4x1_kinetics400-rgb_'
            '20221219-b776322c.pth', 'action',
            'UniFormer-B 32x4 Kinetics-400 recognizer (mmaction2)',
            layout='mmaction2', url=MMACTION + 'uniformer-base_imagenet1k-'
            'pre_32x4x1_kinetics400-rgb_20221219-b776322c.pth',
            sha256='b776322c', source=MMACTION_ZOO),
    *(Release(f'top_down_{size}_global_{variant}-{sha}_20230724.pth', 'pose',
              f'UniFormer-{variant[0].upper()} top-down COCO {size} '
              '(mmpose)', layout='mmpose',
              url=f'{MMPOSE}top_down_{size}_global_{variant}-{sha}_'
              '20230724.pth', sha256=sha, source=MMPOSE_ZOO)
      for size, variant, sha in (
          ('256x192', 'small', 'd4a7fdac'), ('384x288', 'small', '7a613f78'),
          ('448x320', 'small', '18b760de'), ('256x192', 'base', '1713bcd4'),
          ('384x288', 'base', 'c650da38'), ('448x320', 'base', 'a05c185f'))),
)  # yapf: enable


def find_release(path: str) -> Optional[Release]:
    """The release a URL or path names (by URL, or by file name)."""
    name = osp.basename(urlparse(str(path)).path)
    return next((r for r in RELEASES if path == r.url or name == r.name
                 or (r.url and name == osp.basename(r.url))), None)


def describe_file(path: str) -> str:
    """What a file is and where to get it, from the table (or a generic
    text for files it does not know)."""
    release = find_release(path)
    name = osp.basename(str(path))
    if release is None:
        return (f'{name!r} (not a published UniFormer file; if it is a '
                'converted or self-trained checkpoint, make it first)')
    if release.url:
        return (f'{name!r}, {release.description}, published at '
                f'{release.url} (named by {release.where}): `pretrained = '
                f"'{release.url}'` downloads it")
    return f'{name!r}, {release.description}, from {release.where}'


def missing_pretrained_message(path: str, where: str) -> str:
    """The error for a backbone checkpoint that is not on disk.

    Args:
        path: the missing file.
        where: what named it (a config key).
    """
    return (
        f'pretrained backbone checkpoint {path!r} not found (set by '
        f'{where}).\nIt is {describe_file(path)}; official files load as '
        'they are (backbone weights need no conversion). To go on:\n'
        '  - put the file at that path, or\n'
        "  - point the config at your copy: `pretrained = 'PATH'` in a "
        'child config, or --cfg-options pretrained=PATH, or\n'
        '  - train from scratch on purpose: model.backbone.init_cfg=None '
        '(--cfg-options model.backbone.init_cfg=None).')


def download_failed_message(url: str, error: BaseException) -> str:
    """The error for a download that did not complete."""
    release = find_release(url)
    name = release.name if release else osp.basename(urlparse(url).path)
    page = f' (published at {release.where})' if release else ''
    return (
        f'could not download {url}{page}: {type(error).__name__}: '
        f'{error}.\nWithout a network: download it elsewhere, place it as '
        f"checkpoints/{name} and use it with `pretrained = 'checkpoints/"
        f"{name}'` in a child config (or --cfg-options "
        f'pretrained=checkpoints/{name}).')


def missing_load_from_message(path: str) -> str:
    """The error for a ``load_from`` whole-model checkpoint that is not on
    disk (official whole models must be converted)."""
    return (
        f'load_from checkpoint {path!r} not found.\nA whole-model '
        'checkpoint of an official release must be converted first (the '
        'config header names the official file):\n'
        '  python tools/model_converters/uniformer_to_mm.py OFFICIAL.pth '
        f'{path} --task TASK\n'
        'or set load_from to your own checkpoint (--cfg-options '
        'load_from=PATH).')
