"""Throughput and peak memory of UniFormer backbones (and torchvision peers).

    python tools/analysis_tools/benchmark.py --arch s b xxs --size 224
    python tools/analysis_tools/benchmark.py --arch s --video --frames 8
    python tools/analysis_tools/benchmark.py --arch s xxs --peers --backward
    python tools/analysis_tools/benchmark.py --arch s xxs --backward \
        --fuse --channels-last --compile --amp bf16
    python tools/analysis_tools/benchmark.py --arch s xxs \
        --fuse --channels-last --compile --freeze   # fastest float32

Fast-inference modes: ``--fuse`` (:meth:`UniFormer.fuse`, inference only),
``--channels-last`` (weights and input in ``channels_last`` /
``channels_last_3d``; the eager UniFormer already feeds images
channels-last to its stem on CPU, see ``UniFormer(channels_last=None)``),
``--compile`` (``torch.compile``, inductor; compile time is spent in the
warm-up), ``--freeze`` (inductor's ``freezing``: the weights become constants
that oneDNN prepacks; inference only, with ``--compile``) and
``--amp bf16|fp16`` (autocast). Each model
is measured as plain eager float32 and then with the selected modes added one
at a time in that order; the ``x eager`` columns are ratios to the eager
float32 row of the same model in the same run. Forward+backward (a training
step; ``--backward``) uses every selected mode except ``--fuse`` and
``--freeze``.

Each measurement runs in its own subprocess, so a peak memory column is that
run's own: the CUDA allocator peak on GPU, the process's peak resident set
size (minus the interpreter baseline before the model was built) on CPU.
The first line names the machine (CPU model, cores, torch's CPU capability
and native low-precision features; the GPU): a figure holds for the machine
it was measured on. An ``--amp`` row on a device without native support for
the dtype is marked ``(emulated)``.
Timing: ``--warmup`` untimed iterations, then ``--repeats`` timed runs of
``--iters`` iterations; a measurement is the median run. ``--rounds N``
measures the whole sequence of modes N times in turn and reports medians,
each ratio taken against the eager row of its own round, so a slow spell
of a shared machine cannot fake a speed-up or a slow-down. Read throughput as a
ratio to rows measured in the same run on the same machine.
"""
import argparse
import contextlib
import json
import resource
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn

from uniformer_mm.utils.cli import run_tool
from uniformer_mm.utils.errors import FixableError
from uniformer_mm.utils.machine import low_precision_support, machine_summary

PEERS = ('convnext_tiny', 'swin_t', 'efficientnet_b0', 'mobilenet_v3_large')
#: The fast-inference modes, in the order they are added to eager float32.
MODES = ('fuse', 'channels_last', 'compile', 'freeze', 'amp')
#: Modes that apply to inference only (left out of the training step).
INFERENCE_ONLY = ('fuse', 'freeze')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--arch', nargs='+', default=['s'],
                        help='UniFormer arch names (see UniFormer.arch_zoo)')
    parser.add_argument('--peers', action='store_true',
                        help=f'also time torchvision {", ".join(PEERS)}')
    parser.add_argument('--size', type=int, default=224, help='input H = W')
    parser.add_argument('--video', action='store_true',
                        help='3D UniFormer on clips (peers are 2D: skipped)')
    parser.add_argument('--frames', type=int, default=8)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--device', default='cpu', help='cpu or cuda')
    parser.add_argument('--backward', action='store_true',
                        help='also time forward + backward')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--rounds', type=int, default=1,
                        help='measure every mode this many times, in turn, '
                        'and report medians (use 3 on a shared machine)')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch decides)')
    parser.add_argument('--fuse', action='store_true',
                        help='UniFormer.fuse() (forward only)')
    parser.add_argument('--channels-last', action='store_true',
                        help='channels_last(_3d) weights and input')
    parser.add_argument('--compile', action='store_true',
                        help='torch.compile (inductor)')
    parser.add_argument('--freeze', action='store_true',
                        help="with --compile: inductor's freezing (weights "
                        'as constants, prepacked; forward only)')
    parser.add_argument('--amp', choices=('bf16', 'fp16'), default=None,
                        help='autocast dtype')
    parser.add_argument('--single', help=argparse.SUPPRESS)
    parser.add_argument('--modes', default='', help=argparse.SUPPRESS)
    parser.add_argument('--train-step', action='store_true',
                        help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def selected_modes(args) -> list:
    """The modes given on the command line, in :data:`MODES` order."""
    return [m for m in MODES if getattr(args, m)]


def amp_label(args) -> str:
    """``'bf16'`` / ``'fp16'``, marked ``(emulated)`` where the device has
    no native support for it (slower than float32 there)."""
    dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[args.amp]
    native, _ = low_precision_support(dtype, args.device)
    return args.amp if native else f'{args.amp} (emulated)'


def mode_label(modes, args) -> str:
    names = {'fuse': 'fused', 'channels_last': 'channels_last',
             'compile': 'compiled', 'freeze': 'frozen'}
    if 'amp' in modes:
        names['amp'] = amp_label(args)
    return '+'.join(names[m] for m in modes) or 'eager fp32'


class GlobalPool(nn.Module):
    """``(B, C, ...)`` map (or a tuple ending with one) -> ``(B, C)``."""

    def forward(self, x):
        x = x[-1] if isinstance(x, tuple) else x
        return x.flatten(2).mean(-1)


def build_model(name: str, args) -> nn.Module:
    if name.startswith('tv:'):
        import torchvision
        return getattr(torchvision.models, name[3:])(weights=None)
    from uniformer_mm.models import UniFormer
    backbone = UniFormer(arch=name, video=args.video, out_norm='BN')
    # The same 1000-class classifier as the torchvision peers.
    return nn.Sequential(backbone, GlobalPool(),
                         nn.Linear(backbone.embed_dims[-1], 1000))


def time_loop(step, args) -> float:
    """Median images (clips) per second over the timed runs."""
    sync = torch.cuda.synchronize if args.device == 'cuda' else (lambda: 0)
    for _ in range(args.warmup):
        step()
    sync()
    runs = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.iters):
            step()
        sync()
        runs.append(time.perf_counter() - start)
    return args.batch_size * args.iters / statistics.median(runs)


def prepare(model: nn.Module, x: torch.Tensor, modes, args):
    """Apply ``modes`` to an eval- or train-mode model and its input;
    returns ``(callable model, input, autocast context factory)``."""
    if 'fuse' in modes and hasattr(model[0], 'fuse'):
        model[0].fuse()
    if 'channels_last' in modes:
        layout = (torch.channels_last_3d
                  if x.dim() == 5 else torch.channels_last)
        model = model.to(memory_format=layout)
        x = x.contiguous(memory_format=layout)
    if 'compile' in modes:
        import torch._inductor.config as inductor_config
        inductor_config.freezing = 'freeze' in modes
        model = torch.compile(model)
    dtype = dict(bf16=torch.bfloat16, fp16=torch.float16).get(args.amp)
    if 'amp' in modes:
        autocast = lambda: torch.autocast(args.device, dtype)  # noqa: E731
    else:
        autocast = contextlib.nullcontext
    return model, x, autocast


def measure(name: str, args) -> dict:
    """Run in a fresh process: build, apply the modes, time, report the
    peak memory of this one measurement (forward or training step)."""
    if args.threads:
        torch.set_num_threads(args.threads)
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model = build_model(name, args).to(args.device)
    shape = ((args.batch_size, 3, args.frames, args.size, args.size)
             if args.video and not name.startswith('tv:') else
             (args.batch_size, 3, args.size, args.size))
    x = torch.randn(shape, device=args.device)
    result = dict(model=name, input='x'.join(map(str, shape[1:])),
                  params_m=sum(p.numel() for p in model.parameters()) / 1e6)
    modes = [m for m in args.modes.split(',') if m]
    if args.train_step:
        model.train()
        model, x, autocast = prepare(
            model, x, [m for m in modes if m not in INFERENCE_ONLY], args)

        def train_step():
            model.zero_grad(set_to_none=True)
            with autocast():
                loss = model(x).float().sum()
            loss.backward()

        result['speed'] = time_loop(train_step, args)
    else:
        model.eval()
        model, x, autocast = prepare(model, x, modes, args)

        def forward():
            with torch.no_grad(), autocast():
                model(x)

        result['speed'] = time_loop(forward, args)
    if args.device == 'cuda':
        result['peak_mb'] = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result['peak_mb'] = (peak_kb - baseline_kb) / 1024
    return result


def main(argv=None):
    args = parse_args(argv)
    if args.single:
        print(json.dumps(measure(args.single, args)))
        return
    names = list(args.arch)
    if args.peers and not args.video:
        names += [f'tv:{peer}' for peer in PEERS]
    if args.amp and amp_label(args).endswith('(emulated)'):
        dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[args.amp]
        print(f'note: {low_precision_support(dtype, args.device)[1]}',
              file=sys.stderr)
    modes = selected_modes(args)
    if args.freeze and not args.compile:
        raise FixableError('--freeze is an option of torch.compile: add '
                           '--compile')
    print(machine_summary())
    steps = [modes[:i] for i in range(len(modes) + 1)]
    print(f'device={args.device} batch={args.batch_size} warmup='
          f'{args.warmup} iters={args.iters} repeats={args.repeats} '
          f'rounds={args.rounds} '
          '(median; /s = images or clips per second; x eager = ratio to '
          'the eager fp32 row of the same model)')
    header = (f'{"model":<20}{"input":<12}{"params(M)":>10}  {"mode":<38}'
              f'{"fwd/s":>8}{"x eager":>8}{"peak MB":>8}')
    if args.backward:
        header += f'{"train/s":>9}{"x eager":>8}{"peak MB":>8}'
    print(header)
    for name in names:
        for step, fwd, train in measure_rounds(name, steps, args):
            line = (f'{fwd["model"]:<20}{fwd["input"]:<12}'
                    f'{fwd["params_m"]:>10.2f}  {mode_label(step, args):<38}'
                    f'{fwd["speed"]:>8.1f}{fwd["ratio"]:>8.2f}'
                    f'{fwd["peak_mb"]:>8.0f}')
            if train:
                line += (f'{train["speed"]:>9.1f}{train["ratio"]:>8.2f}'
                         f'{train["peak_mb"]:>8.0f}')
            elif args.backward:
                line += f'{"(forward only)":>25}'
            print(line, flush=True)


def measure_rounds(name: str, steps, args) -> list:
    """``[(modes, forward row, training row or None)]`` for each step.

    Every round measures all steps in order, eager first; a row's speed,
    ratio to that round's eager row and peak memory are the medians over the
    rounds, so a slow spell of a shared machine hits one round's ratios only.
    """
    def train_modes(step):
        return [m for m in step if m not in INFERENCE_ONLY]

    def wants_train(step):  # not for a step that adds an inference mode
        return args.backward and (not step or step[-1] not in INFERENCE_ONLY)

    fwd_runs = [[] for _ in steps]  # per step, one row per round
    train_runs = [[] for _ in steps]
    for _ in range(args.rounds):
        for runs, step in zip(fwd_runs, steps):
            runs.append(run_single(name, step, False))
        for runs, step in zip(train_runs, steps):
            if wants_train(step):
                runs.append(run_single(name, train_modes(step), True))
    return [(step, median_row(fwd, fwd_runs[0]),
             median_row(train, train_runs[0]) if train else None)
            for step, fwd, train in zip(steps, fwd_runs, train_runs)]


def median_row(rows: list, eager_rows: list) -> dict:
    """One step's rows over the rounds -> one row of medians, with
    ``ratio``: the median of each round's speed / that round's eager speed."""
    row = dict(rows[0])
    row['speed'] = statistics.median(r['speed'] for r in rows)
    row['ratio'] = statistics.median(
        r['speed'] / e['speed'] for r, e in zip(rows, eager_rows))
    row['peak_mb'] = statistics.median(r['peak_mb'] for r in rows)
    return row


def run_single(name: str, modes, train_step: bool) -> dict:
    """One measurement in a fresh interpreter (its own peak memory)."""
    command = [sys.executable, __file__, *sys.argv[1:], '--single', name,
               '--modes', ','.join(modes)]
    if train_step:
        command.append('--train-step')
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        raise FixableError(f'benchmark of {name} ({",".join(modes) or "eager"}'
                           f', {"train" if train_step else "forward"}) failed:'
                           f'\n{out.stderr}')
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == '__main__':
    run_tool(main)
