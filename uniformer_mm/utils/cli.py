"""What every command-line tool of ``tools/`` shares: the config, the
runner and one way to fail.

A tool parses its arguments, loads and merges the config, hands it to the
Runner the config names (``runner_type``, see
:mod:`uniformer_mm.engine.runner`) and wraps its ``main`` in
:func:`run_tool`, so a :class:`~uniformer_mm.utils.errors.FixableError`
ends it with ``error: <message>`` and exit status 2, without a traceback.
Importing this module imports ``uniformer_mm`` (the registries and the
checkpoint-loading guard of :mod:`uniformer_mm.weights.safe_load`).
"""
import os.path as osp
import sys

import uniformer_mm  # noqa: F401  (registers, guards checkpoint loading)
from uniformer_mm.utils.errors import FixableError

__all__ = [
    'run_tool', 'add_cfg_options', 'load_config', 'build_runner',
    'default_work_dir', 'apply_tta'
]

#: exit status of a tool stopped by a :class:`FixableError`
USER_ERROR_STATUS = 2


def run_tool(main, argv=None):
    """Run a tool's ``main(argv)`` and exit with its status.

    A :class:`FixableError` prints ``error: <message>`` to stderr and
    exits with status 2; ``main``'s integer return value (or 0) is the exit
    status otherwise.
    """
    try:
        status = main(argv)
    except FixableError as error:
        print(f'error: {error}', file=sys.stderr, flush=True)
        sys.exit(USER_ERROR_STATUS)
    sys.exit(status if isinstance(status, int) else 0)


def add_cfg_options(parser, example=None):
    """Add ``--cfg-options key=value ...`` (MMEngine's ``DictAction``),
    the overrides :func:`load_config` merges; ``example`` goes in the help."""
    from mmengine.config import DictAction
    text = 'override config settings, key=value pairs'
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help=f'{text}, e.g. {example}' if example else text)


def load_config(path, cfg_options=None):
    """``Config.fromfile`` with ``--cfg-options`` merged; a missing file is
    a :class:`FixableError`."""
    from mmengine.config import Config
    if not osp.isfile(path):
        hint = ' (it is a directory)' if osp.isdir(path) else ''
        raise FixableError(f'config file {path!r} does not exist{hint}')
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def default_work_dir(cfg, config_path, work_dir=None):
    """``--work-dir``, else the config's ``work_dir``, else
    ``work_dirs/<config name>`` (the toolboxes' rule)."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
    return cfg


def build_runner(cfg):
    """The Runner of ``cfg``: ``RUNNERS.build(cfg)`` when the config names
    a ``runner_type`` (``uniformer_mm.Runner``, ...), else MMEngine's
    ``Runner.from_cfg``: what the toolboxes' own train/test scripts do."""
    from mmengine.registry import RUNNERS
    from mmengine.runner import Runner
    if 'runner_type' not in cfg:
        return Runner.from_cfg(cfg)
    return RUNNERS.build(cfg)


def _has_masks(model):
    """Whether a (detector) model config predicts instance masks."""
    roi_head = model.get('roi_head') or {}
    return bool(model.get('mask_head') or roi_head.get('mask_head'))


def apply_tta(cfg):
    """``--tta``: test with ``cfg.tta_pipeline`` and ``cfg.tta_model``.

    What the toolboxes' own ``tools/test.py --tta`` do (mmpretrain, mmdet,
    mmseg): the test dataset (the innermost one of dataset wrappers) reads
    ``cfg.tta_pipeline`` and the model becomes ``cfg.tta_model`` wrapping
    ``cfg.model`` (``AverageClsScoreTTA``, ``DetTTAModel``,
    ``SegTTAModel``; MMEngine's ``BaseTTAModel`` hands a top-level
    ``data_preprocessor`` on to the wrapped model). The Runner's checkpoint
    check looks inside the wrapper.

    A config without them, and a detector with a mask head (mmdet's
    ``DetTTAModel`` merges boxes only and asserts that no masks are
    predicted), are a :class:`FixableError`.
    """
    from mmengine.config import ConfigDict
    model = cfg.model
    tta_type = (cfg.get('tta_model') or {}).get('type', 'DetTTAModel')
    if _has_masks(model) and tta_type.split('.')[-1] == 'DetTTAModel':
        raise FixableError(
            '--tta: mmdet\'s DetTTAModel merges boxes only and does not '
            'support instance masks; this model has a mask head (Mask '
            'R-CNN): test it without --tta')
    missing = [key for key in ('tta_model', 'tta_pipeline') if key not in cfg]
    if missing:
        raise FixableError(
            f'--tta: the config defines no {" and no ".join(missing)}; add '
            'them (e.g. tta_model = dict(type=\'AverageClsScoreTTA\') and a '
            'tta_pipeline with a TestTimeAug step, as configs/cls/'
            'uniformer_s_300e_in1k.py does) or test without --tta')
    cfg.model = ConfigDict(cfg.tta_model, module=model)
    dataset = cfg.test_dataloader.dataset
    while 'dataset' in dataset:
        dataset = dataset['dataset']
    if 'batch_shapes_cfg' in dataset:  # mmdet/mmyolo: no fixed batch shape
        dataset.batch_shapes_cfg = None
    dataset.pipeline = cfg.tta_pipeline
    return cfg
