"""Export a model with MMDeploy, run it in ONNX Runtime, compare to PyTorch.

    python tools/deployment/deploy.py DEPLOY_CFG MODEL_CFG [CHECKPOINT] \\
        [--work-dir DIR] [--device cpu] [--test-img FILE ...] \\
        [--num-samples 4] [--tolerance T] [--evaluate] [--cfg-options ...]

    # e.g. the classification demo (bash tools/demo.sh trains it)
    python tools/deployment/deploy.py \\
        configs/deploy/classification_onnxruntime_dynamic.py \\
        configs/demo/cls_demo.py work_dirs/demo/cls/epoch_10.pth \\
        --work-dir work_dirs/onnx/cls

DEPLOY_CFG is one of ``configs/deploy/`` (task, static or dynamic shapes,
exporter). The ONNX file goes to ``WORK_DIR/end2end.onnx``. The PyTorch model
and the ONNX Runtime model (MMDeploy's backend model of the toolbox) then
predict the first ``--num-samples`` samples of the model config's test set
(or the ``--test-img`` files), and the largest differences are printed
(cls / video: class scores; seg: fraction of pixels labelled differently;
pose: keypoints in pixels; det: boxes in pixels, same labels, mask IoU). The
tool fails (status 1) when the largest difference is above ``--tolerance``
(default: 1e-4; det boxes 1e-3). ``--evaluate`` also runs the toolbox's
evaluator over the whole test set with both models and prints both metrics.

MMDeploy 1.3.1 is installed by ``bash tools/install.sh`` into
``.venv/extras/mmdeploy``, off the default import path (its protobuf pin
conflicts with onnx); ``uniformer_mm.deploy`` adds that folder to the path
itself, no PYTHONPATH needed (``UNIFORMER_MM_MMDEPLOY=DIR`` points it
elsewhere). Paths in the model config (data roots) are relative to the
current directory, as for tools/test.py.
"""
import argparse
import json
import os.path as osp
import sys

from uniformer_mm.utils.cli import add_cfg_options, load_config, run_tool
from uniformer_mm.utils.errors import FixableError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('deploy_cfg', help='a config of configs/deploy/')
    parser.add_argument('model_cfg')
    parser.add_argument('checkpoint', nargs='?', default=None,
                        help='weights (default: the initial weights)')
    parser.add_argument('--work-dir', default='work_dirs/deploy')
    parser.add_argument('--device', default='cpu',
                        help='cpu (ONNX Runtime CPU execution provider)')
    parser.add_argument('--test-img', nargs='+', default=None,
                        help='images / videos to export with and compare '
                        'on (default: the test set\'s first samples)')
    parser.add_argument('--num-samples', type=int, default=4)
    parser.add_argument('--tolerance', type=float, default=None)
    parser.add_argument('--evaluate', action='store_true',
                        help='also compare the metrics on the test set')
    add_cfg_options(parser, 'test_dataloader.batch_size=1 (model config)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.device != 'cpu':
        raise FixableError('only --device cpu (ONNX Runtime CPU) is supported')
    if args.checkpoint is not None and not osp.isfile(args.checkpoint):
        raise FixableError(f'checkpoint {args.checkpoint!r} does not exist')
    if not osp.isfile(args.deploy_cfg):
        raise FixableError(f'deploy config {args.deploy_cfg!r} does not exist')
    model_cfg = load_config(args.model_cfg, args.cfg_options)

    from uniformer_mm.deploy import deploy, import_mmdeploy
    try:
        import_mmdeploy()
    except ImportError as e:
        raise FixableError(str(e)) from e

    result = deploy(args.deploy_cfg, model_cfg, args.checkpoint,
                    args.work_dir, test_inputs=args.test_img,
                    device=args.device, num_samples=args.num_samples,
                    tolerance=args.tolerance, evaluate_metrics=args.evaluate)
    print(f'ONNX model: {result.onnx_file}')
    print(f'compared {result.num_samples} samples ({result.codebase}), '
          'ONNX Runtime vs PyTorch:')
    for key, value in result.diffs.items():
        print(f'  {key}: {value:.3g}')
    if result.metrics is not None:
        for name, metrics in result.metrics.items():
            print(f'metrics {name}: '
                  f'{json.dumps({k: float(v) for k, v in metrics.items()})}')
    print(f'max |diff| ({result.primary}): {result.max_diff:.3g} '
          f'(tolerance {result.tolerance:g})')
    if not result.ok:
        print('FAILED: ONNX Runtime differs from PyTorch beyond the '
              'tolerance', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    run_tool(main)
