"""Memory per GPU of a config's model under DDP, FSDP and DeepSpeed ZeRO-2.

    python tools/analysis_tools/sharding_memory.py CONFIG [--gpus 8] \
        [--activations [--shape ...]]

    # e.g. (from the repository root)
    python tools/analysis_tools/sharding_memory.py \
        configs/cls/uniformer_l_tl_300e_in1k.py --activations

Model states are computed from the built model (float32 training with
AdamW, as the configs train without --amp):

* DDP: weights 4P, gradients 4T, DDP's reducer buckets 4T (MMEngine keeps
  ``gradient_as_bucket_view=False``), AdamW moments 8T, for P parameters of
  which T are trainable.
* FSDP FULL_SHARD over N GPUs: shards of weights, gradients and moments,
  (4P + 4T + 8T) / N, plus what is unsharded at a time: the root unit (all
  but the blocks: stem, embeddings, output norms, neck, heads) and, with
  the default backward prefetch, the two largest blocks, as weights and as
  gradients before their reduce-scatter.
* ZeRO-2 over N GPUs: full weights 4P, a float32 master partition 4P / N,
  gradient partition 4T / N plus one reduce bucket (``reduce_bucket_size``
  of the DeepSpeed config, at most 4T), AdamW moments 8T / N.

The frameworks' own buffers (NCCL, allocator fragmentation, CUDA context)
come on top. ``--activations`` runs one training-mode forward of the
backbone on one sample (on the CPU) and sums the tensors that autograd saves
for backward (parameters excluded): the activation memory per sample, the
same under all three strategies (``with_cp`` lowers it).
"""
import argparse
import os.path as osp
import sys

import torch
from mmengine.config import Config, DictAction

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from get_flops import build_model, input_shape  # noqa: E402

GB = 1024**3


def model_states(model, gpus: int, reduce_bucket: int) -> dict:
    """Bytes per GPU of weights, gradients and AdamW states by strategy."""
    from uniformer_mm.models.layers import GlobalBlock, LocalBlock
    params = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    blocks = [
        sum(p.numel() for p in m.parameters()) for m in model.modules()
        if isinstance(m, (LocalBlock, GlobalBlock))
    ]
    root = params - sum(blocks)
    gathered = root + sum(sorted(blocks)[-2:])
    return dict(
        params=params,
        trainable=trainable,
        ddp=4 * params + 4 * trainable + 4 * trainable + 8 * trainable,
        fsdp=(4 * params + 12 * trainable) / gpus + 2 * 4 * gathered,
        zero2=4 * params + 4 * params / gpus + 4 * trainable / gpus +
        4 * min(reduce_bucket, trainable) + 8 * trainable / gpus)


def activation_bytes(backbone: torch.nn.Module, shape: tuple) -> int:
    """Bytes autograd saves for backward in one forward of one sample."""
    weights = {p.untyped_storage().data_ptr() for p in backbone.parameters()}
    seen, total = set(), 0

    def pack(tensor):
        nonlocal total
        storage = tensor.untyped_storage()
        key = storage.data_ptr()
        if key not in weights and key not in seen:
            seen.add(key)
            total += storage.nbytes()
        return tensor

    backbone.train()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        backbone(torch.rand(1, *shape))
    return total


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
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.gpus < 1:
        raise SystemExit('error: --gpus must be >= 1')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
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
    main()
