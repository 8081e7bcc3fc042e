"""Export a config's UniFormer to ONNX (or TorchScript) and check it.

    python tools/deployment/pytorch2onnx.py CONFIG [CHECKPOINT] \\
        [--shape H W | --shape T H W] [--batch-size N] [--dynamic-batch] \\
        [--part backbone|model] [--fuse] [--opset 18] [--torchscript] \\
        [--output-file FILE] [--atol 1e-4]

    # e.g. the ImageNet classifier, logits out, any batch size
    python tools/deployment/pytorch2onnx.py \\
        configs/cls/uniformer_s_300e_in1k.py \\
        checkpoints/uniformer_small_in1k.pth \\
        --part model --dynamic-batch --fuse

The model is built from the config in its toolbox's scope and loaded from
CHECKPOINT (every weight must fit; without one the weights are random, which
is only good for checking that the graph exports). ``--part backbone``
(default) exports ``model.backbone``: input ``(B, 3, H, W)`` or ``(B, 3, T, H,
W)``, outputs ``out0..`` as the backbone returns them. ``--part model``
exports the whole classifier (mmpretrain: class scores ``(B, num_classes)``)
or recognizer (mmaction2: ``(B, num_classes)`` for one view), the toolboxes'
``mode='tensor'`` path; detectors, segmentors and pose models export their
backbone here and the rest through mmdeploy. The input is the normalised
tensor the config's ``data_preprocessor`` produces (mean/std not included).

``--fuse`` applies :meth:`UniFormer.fuse` first (exact; fewer nodes).
ONNX export uses torch.onnx's dynamo exporter (opset >= 18, attention as
ONNX ops, window attention and the hourglass token selection included);
``--torchscript`` writes a ``torch.jit.trace`` module instead. Either way the
exported file is run (onnxruntime on the CPU, or the traced module) on the
export input and on a second batch size with ``--dynamic-batch``, and the
largest difference to PyTorch is printed; above ``--atol`` the tool fails.
"""
import argparse
import os
import os.path as osp
import warnings

import torch
import torch.nn as nn

from uniformer_mm.analysis import build_model, input_shape
from uniformer_mm.utils.checks import check_checkpoint
from uniformer_mm.utils.cli import add_cfg_options, load_config, run_tool
from uniformer_mm.utils.errors import FixableError

WHOLE_MODEL_SCOPES = ('mmpretrain', 'mmaction')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint', nargs='?', default=None,
                        help='weights to export (default: random weights)')
    parser.add_argument('--shape', type=int, nargs='+', default=None,
                        help='H W (or one size) for images, T H W for '
                        'videos; default 224x224, 8x224x224')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--dynamic-batch', action='store_true',
                        help='the batch dimension stays symbolic')
    parser.add_argument('--part', choices=('backbone', 'model'),
                        default='backbone')
    parser.add_argument('--fuse', action='store_true',
                        help='fold norms and layer scales first (exact)')
    parser.add_argument('--opset', type=int, default=18,
                        help='ONNX opset (18 or newer)')
    parser.add_argument('--torchscript', action='store_true',
                        help='write a traced TorchScript module, not ONNX')
    parser.add_argument('--output-file', default=None,
                        help='default: work_dirs/deploy/<config>.onnx/.pt')
    parser.add_argument('--atol', type=float, default=1e-4,
                        help='largest allowed |exported - PyTorch|')
    add_cfg_options(parser)
    return parser.parse_args(argv)


class TensorPath(nn.Module):
    """A toolbox model's ``mode='tensor'`` forward as a plain module:
    ``(B, 3, [T,] H, W)`` normalised input -> class scores."""

    def __init__(self, model: nn.Module, scope: str):
        super().__init__()
        self.model = model
        self.scope = scope

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.scope == 'mmaction':
            return self.model(inputs[:, None], mode='tensor')  # one view
        return self.model(inputs, mode='tensor')


def build_exported_module(cfg, checkpoint, part, fuse) -> nn.Module:
    """The config's model with ``checkpoint`` loaded, in eval mode."""
    scope = cfg.get('default_scope')
    if part == 'model' and scope not in WHOLE_MODEL_SCOPES:
        raise FixableError(
            f'--part model exports classifiers and recognizers; this is an '
            f'{scope} config: export its backbone (--part backbone) and the '
            'rest of the model with mmdeploy')
    model = build_model(cfg)
    if checkpoint is None:
        print('no checkpoint given: exporting random weights (structure '
              'check only)')
    else:
        from mmengine.runner import load_checkpoint
        check_checkpoint(model, checkpoint)
        load_checkpoint(model, checkpoint, map_location='cpu',
                        logger='silent')
    model.eval()
    if fuse:
        from uniformer_mm.models import fuse_uniformer
        fuse_uniformer(model)
    return model.backbone if part == 'backbone' else TensorPath(model, scope)


def as_tuple(outputs):
    return tuple(outputs) if isinstance(outputs, (tuple, list)) else (
        outputs, )


def export_onnx(module, example, path, opset, dynamic_batch):
    """Write ``module`` to ``path`` with the dynamo exporter."""
    num_outputs = len(as_tuple(module(example)))
    dynamic_shapes = None
    if dynamic_batch:
        # torch.export specialises sizes 0 and 1: trace a batch of two.
        example = example[:1].expand(2, *example.shape[1:]).contiguous()
        dynamic_shapes = ({0: torch.export.Dim('batch')}, )
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        program = torch.onnx.export(
            module, (example, ), dynamo=True, opset_version=opset,
            input_names=['input'],
            output_names=[f'out{i}' for i in range(num_outputs)],
            dynamic_shapes=dynamic_shapes, optimize=True,
            verbose=False)
    program.save(path)


def run_onnx(path, inputs):
    import onnxruntime
    session = onnxruntime.InferenceSession(
        path, providers=['CPUExecutionProvider'])
    return [torch.from_numpy(out)
            for out in session.run(None, {'input': inputs.numpy()})]


def max_difference(reference, exported) -> float:
    reference = as_tuple(reference)
    if len(reference) != len(exported):
        raise FixableError(f'the export returns {len(exported)} outputs, '
                           f'PyTorch {len(reference)}')
    return max((a - b).abs().max().item()
               for a, b in zip(reference, exported))


def main(argv=None):
    args = parse_args(argv)
    if args.opset < 18:
        raise FixableError(
            f'--opset {args.opset}: torch.onnx\'s exporter writes opset 18 '
            'or newer (its down-conversion fails on this graph); use '
            '--opset 18')
    cfg = load_config(args.config, args.cfg_options)
    module = build_exported_module(cfg, args.checkpoint, args.part,
                                   args.fuse)
    shape = (args.batch_size, ) + input_shape(cfg, args.shape)
    torch.manual_seed(0)
    example = torch.randn(shape)
    checks = [example]
    if args.dynamic_batch:
        checks.append(torch.randn((args.batch_size + 1, ) + shape[1:]))

    suffix = '.pt' if args.torchscript else '.onnx'
    out = args.output_file or osp.join(
        'work_dirs', 'deploy',
        osp.splitext(osp.basename(args.config))[0] + suffix)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad():
        if args.torchscript:
            traced = torch.jit.trace(module, example, check_trace=False)
            traced.save(out)
            loaded = torch.jit.load(out)
            run = lambda x: as_tuple(loaded(x))  # noqa: E731
        else:
            export_onnx(module, example, out, args.opset, args.dynamic_batch)
            run = lambda x: run_onnx(out, x)  # noqa: E731
        diffs = [max_difference(module(x), run(x)) for x in checks]
    runtime = 'TorchScript' if args.torchscript else 'onnxruntime'
    for x, diff in zip(checks, diffs):
        print(f'{runtime} vs PyTorch, input {tuple(x.shape)}: max |diff| '
              f'{diff:.2e}')
    print(f'wrote {out} ({osp.getsize(out) / 2**20:.1f} MB, '
          f'{args.part}{", fused" if args.fuse else ""})')
    if max(diffs) > args.atol:
        raise FixableError(f'the exported model differs from PyTorch by '
                           f'{max(diffs):.2e} > --atol {args.atol:g}')


if __name__ == '__main__':
    run_tool(main)
