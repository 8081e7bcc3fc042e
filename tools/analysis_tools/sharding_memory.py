"""Memory per GPU of a config's model under DDP, FSDP and DeepSpeed ZeRO-2.

    python tools/analysis_tools/sharding_memory.py CONFIG [--gpus 8] \
        [--activations [--shape ...]]

    # e.g. (from the repository root)
    python tools/analysis_tools/sharding_memory.py \
        configs/cls/uniformer_l_tl_300e_in1k.py --activations

The formulas (float32 weights, AdamW) are in
:mod:`uniformer_mm.analysis.sharding`. ``--activations`` runs one
training-mode forward of the backbone on one sample (on the CPU) and sums
the tensors autograd saves for backward: the same under every strategy.
"""
import argparse
import os.path as osp


from uniformer_mm.analysis import (activation_bytes, build_model, input_shape,
                                   model_states)
from uniformer_mm.analysis.sharding import GB
from uniformer_mm.utils.cli import add_cfg_options, load_config, run_tool
from uniformer_mm.utils.errors import FixableError


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Memory per GPU under DDP, FSDP and ZeRO-2')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--gpus', type=int, default=8, help='GPUs (N)')
    parser.add_argument(
        '--reduce-bucket',
        type=float,
        default=5e8,
        help='ZeRO-2 reduce_bucket_size in elements (default 5e8)')
    parser.add_argument(
        '--activations',
        action='store_true',
        help='also measure the activations of one sample (CPU forward)')
    parser.add_argument(
        '--shape',
        type=int,
        nargs='+',
        help='input H W (images) or T H W (videos); default 224 x 224, '
        '8 x 224 x 224')
    add_cfg_options(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.gpus < 1:
        raise FixableError('--gpus must be >= 1')
    cfg = load_config(args.config, args.cfg_options)
    model = build_model(cfg)
    states = model_states(model, args.gpus, int(args.reduce_bucket))
    print(f'{osp.basename(args.config)}: {states["params"] / 1e6:.1f}M '
          f'parameters ({states["trainable"] / 1e6:.1f}M trainable), '
          f'{args.gpus} GPUs, float32 + AdamW')
    print('model states per GPU:')
    for key, name in (('ddp', 'DDP'), ('fsdp', 'FSDP FULL_SHARD'),
                      ('zero2', 'DeepSpeed ZeRO-2')):
        print(f'  {name:17s} {states[key] / GB:6.2f} GB')
    if args.activations:
        shape = input_shape(cfg, args.shape)
        saved = activation_bytes(model.backbone, shape)
        print(f'backbone activations for backward, 1 sample of '
              f'{"x".join(map(str, shape[1:]))}: {saved / GB:.2f} GB '
              '(same under every strategy)')


if __name__ == '__main__':
    run_tool(main)
