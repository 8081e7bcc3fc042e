"""Memory per GPU of a model under DDP, FSDP and DeepSpeed ZeRO-2.

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
import torch

__all__ = ['GB', 'model_states', 'activation_bytes']

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
