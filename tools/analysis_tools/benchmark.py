"""Throughput and peak memory of UniFormer backbones (and torchvision peers).

    python tools/analysis_tools/benchmark.py --arch s b xxs --size 224
    python tools/analysis_tools/benchmark.py --arch s --video --frames 8
    python tools/analysis_tools/benchmark.py --arch s xxs --peers --backward

Each model is measured in its own subprocess, so the peak memory column is
that model's own: the CUDA allocator peak on GPU, the process's peak resident
set size (minus the interpreter baseline before the model was built) on CPU.
Timing: ``--warmup`` untimed iterations, then ``--repeats`` timed runs of
``--iters`` iterations; the table shows the median run. Read throughput as a
ratio to the peers measured in the same run on the same machine.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn

PEERS = ('convnext_tiny', 'swin_t', 'efficientnet_b0', 'mobilenet_v3_large')


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
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch decides)')
    parser.add_argument('--single', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


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


def measure(name: str, args) -> dict:
    """Run in a fresh process: build, time, report peak memory."""
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
    model.eval()
    with torch.no_grad():
        result['fwd'] = time_loop(lambda: model(x), args)
    if args.backward:
        model.train()

        def train_step():
            model.zero_grad(set_to_none=True)
            model(x).sum().backward()

        result['fwd_bwd'] = time_loop(train_step, args)
    if args.device == 'cuda':
        result['peak_mb'] = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result['peak_mb'] = (peak_kb - baseline_kb) / 1024
    return result


def main():
    args = parse_args()
    if args.single:
        print(json.dumps(measure(args.single, args)))
        return
    names = list(args.arch)
    if args.peers and not args.video:
        names += [f'tv:{peer}' for peer in PEERS]
    forwarded = sys.argv[1:]
    rows = []
    for name in names:
        out = subprocess.run(
            [sys.executable, __file__, *forwarded, '--single', name],
            capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f'benchmark of {name} failed:\n{out.stderr}')
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    reference = rows[0]['fwd']
    backward_column = f'{"fwd+bwd/s":>10}' if args.backward else ''
    header = (f'{"model":<22}{"input":<14}{"params(M)":>10}{"fwd/s":>11}'
              f'{"x first":>9}{backward_column}{"peak MB":>10}')
    print(f'device={args.device} batch={args.batch_size} warmup='
          f'{args.warmup} iters={args.iters} repeats={args.repeats} '
          '(median; /s = images or clips per second)')
    print(header)
    for row in rows:
        line = (f'{row["model"]:<22}{row["input"]:<14}{row["params_m"]:>10.2f}'
                f'{row["fwd"]:>11.1f}{row["fwd"] / reference:>9.2f}')
        if args.backward:
            line += f'{row["fwd_bwd"]:>10.1f}'
        print(line + f'{row["peak_mb"]:>10.0f}')


if __name__ == '__main__':
    main()
