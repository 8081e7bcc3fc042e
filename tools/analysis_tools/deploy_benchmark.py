"""ONNX Runtime against eager PyTorch and the fastest PyTorch path (CPU).

    python tools/analysis_tools/deploy_benchmark.py         # S, XXS, video S
    python tools/analysis_tools/deploy_benchmark.py --model s --rounds 5

For each model (a UniFormer backbone up to its last stage, random weights:
speed does not depend on them) three ways of running the same forward pass are
timed in one process, interleaved round by round:

- ``eager``: PyTorch float32, as built;
- ``compiled``: the fastest PyTorch path, :meth:`UniFormer.fuse` +
  ``channels_last`` + ``torch.compile`` (inductor; compiled in the warm-up);
- ``onnxruntime``: the model exported with the TorchScript exporter
  (``dynamo=False``, opset 17, as ``configs/deploy``), fused first, on
  ONNX Runtime's CPU execution provider with all graph optimisations, as
  many intra-op threads as torch uses and no spinning between runs.

Each round times ``--iters`` forward passes of each way in turn; a ratio is
taken against the eager time of its own round and the table reports the
medians over ``--rounds`` rounds (ms per batch and ``x eager``; below 1 is
faster), with the CPU model, ``torch.backends.cpu.get_cpu_capability()``
and the thread count, so tables of different machines are not mixed up.
Before timing, every way's output is checked against eager (max |diff|).
Denormals are flushed to zero in PyTorch (``torch.set_flush_denormal``): the
random weights' 1e-6 layer scales make denormal activations, which slow the
eager XXS down 8x and would flatter ONNX Runtime.
"""
import argparse
import io
import statistics
import time
import warnings

import torch

from uniformer_mm.utils.cli import run_tool
from uniformer_mm.utils.machine import machine_summary

#: name: (UniFormer arguments, input shape without the batch)
MODELS = {
    's': (dict(arch='s', out_norm='BN'), (3, 224, 224)),
    'xxs': (dict(arch='xxs', out_norm='BN'), (3, 160, 160)),
    'video-s': (dict(arch='s', video=True, out_norm='BN'), (3, 8, 224, 224)),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', nargs='+', default=list(MODELS),
                        choices=list(MODELS))
    parser.add_argument('--batch-size', type=int, default=None,
                        help='default: 4 for images, 1 for video')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--threads', type=int, default=None,
                        help='torch and ONNX Runtime threads (default: '
                        "torch's)")
    return parser.parse_args(argv)


class LastStage(torch.nn.Module):
    """The backbone's last feature map (one tensor in, one out)."""

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone

    def forward(self, x):
        out = self.backbone(x)
        return out[-1] if isinstance(out, (tuple, list)) else out

    def fuse(self):
        self.backbone.fuse()
        return self


def build(name):
    from uniformer_mm.models.backbones.uniformer import UniFormer
    kwargs, shape = MODELS[name]
    torch.manual_seed(0)
    return LastStage(UniFormer(**kwargs)).eval(), shape


def compiled_model(model, video):
    from copy import deepcopy
    fast = deepcopy(model)
    fast.fuse()
    layout = torch.channels_last_3d if video else torch.channels_last
    fast = fast.to(memory_format=layout)
    compiled = torch.compile(fast)
    return lambda x: compiled(x.contiguous(memory_format=layout))


def onnxruntime_model(model, example, threads):
    import onnxruntime as ort
    from copy import deepcopy
    fused = deepcopy(model)
    fused.fuse()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        torch.onnx.export(fused, (example, ), buffer, dynamo=False,
                          opset_version=17, input_names=['input'],
                          output_names=['output'],
                          dynamic_axes={'input': {0: 'batch'}})
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    # No busy-waiting between runs: its spinning threads would slow down the
    # PyTorch runs interleaved with it.
    options.add_session_config_entry('session.intra_op.allow_spinning', '0')
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL)
    session = ort.InferenceSession(buffer.getvalue(), options,
                                   providers=['CPUExecutionProvider'])

    def run(x):
        return torch.from_numpy(session.run(None, {'input': x.numpy()})[0])

    return run


def time_ms(fn, x, iters) -> float:
    start = time.perf_counter()
    for _ in range(iters):
        fn(x)
    return (time.perf_counter() - start) / iters * 1e3


def benchmark(name, args, threads):
    model, shape = build(name)
    video = len(shape) == 4
    batch = args.batch_size or (1 if video else 4)
    x = torch.randn(batch, *shape)
    ways = {'eager': model}
    ways['compiled'] = compiled_model(model, video)
    ways['onnxruntime'] = onnxruntime_model(model, x, threads)
    with torch.inference_mode():
        expected = model(x)
        diffs = {}
        for way, fn in ways.items():
            for _ in range(args.warmup):
                out = fn(x)
            diffs[way] = float((out - expected).abs().max())
        times = {way: [] for way in ways}
        ratios = {way: [] for way in ways}
        for _ in range(args.rounds):
            this_round = {way: time_ms(fn, x, args.iters)
                          for way, fn in ways.items()}
            for way, ms in this_round.items():
                times[way].append(ms)
                ratios[way].append(ms / this_round['eager'])
    shape_text = 'x'.join(map(str, (batch, *shape)))
    return [(name, shape_text, way, statistics.median(times[way]),
             statistics.median(ratios[way]), diffs[way]) for way in ways]


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    threads = torch.get_num_threads()
    # Random weights with 1e-6 layer scales give denormal activations, on
    # which the CPU kernels run many times slower (XXS: 8x measured); trained
    # weights do not. Flush them, as ONNX Runtime's kernels effectively do.
    torch.set_flush_denormal(True)
    print(machine_summary())
    print(f'{threads} threads; medians of {args.rounds} interleaved rounds x '
          f'{args.iters} iterations')
    import onnxruntime
    print(f'onnxruntime {onnxruntime.__version__} (CPUExecutionProvider)')
    header = (f'{"model":8} {"input":14} {"way":12} {"ms/batch":>9} '
              f'{"x eager":>8} {"max |diff|":>11}')
    print(header)
    for name in args.model:
        for row in benchmark(name, args, threads):
            print(f'{row[0]:8} {row[1]:14} {row[2]:12} {row[3]:9.1f} '
                  f'{row[4]:8.2f} {row[5]:11.1e}')


if __name__ == '__main__':
    run_tool(main)
