"""Attention maps of UniFormer's global blocks, and attention rollout.

:class:`AttentionRecorder` puts a forward pre-hook on every global block
(:class:`GlobalBlock`, :class:`HourglassBlock`) of a model. The hook reads the
block's input and recomputes the block's attention probabilities
``softmax(q k^T / sqrt(d))`` from the block's own ``pos_embed``, ``norm1`` and
``attn.qkv`` under ``torch.no_grad()``; the block itself runs unchanged (its
SDPA kernel returns no weights), so the model's outputs are those of an
unhooked model, bit for bit.

Every record is a dense ``(B, heads, N, N)`` matrix over the block's tokens,
rows summing to 1, whatever the attention mode:

- ``global``: all (spatio-temporal) tokens;
- ``window`` (and the window blocks of ``hybrid``): block-diagonal over the
  windows; keys in the zero padding of a partial window are dropped and the
  rows renormalised;
- ``split`` (video): the spatial attention of each frame (block-diagonal over
  frames), computed after the block's temporal attention as the block does;
- hourglass blocks: ``N + 1`` tokens, the class token first. In a shrinking
  block the merged tokens attend as their representative token does, and the
  attention to the representative is shared among them with their merge
  weights. The running token scores after the block are recorded too.
"""
import math
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from uniformer_mm.models.layers import GlobalBlock, HourglassBlock
from uniformer_mm.visualization.drawing import labelled


@dataclass
class BlockAttention:
    """The attention of one block.

    Attributes:
        name (str): module name in the backbone, e.g. ``'blocks4.2'``.
        mode (str): ``'global'``, ``'window'``, ``'split'`` or ``'hourglass'``.
        grid (tuple): ``(T, H, W)`` of the block's tokens (``T=1``: image).
        attn (Tensor): ``(B, heads, N, N)`` probabilities, float32 (``N``
            includes the class token, first, when ``has_cls``).
        has_cls (bool): hourglass blocks.
        scores (Tensor, optional): hourglass running token scores after the
            block, ``(B, N')`` on ``scores_grid``.
    """
    name: str
    mode: str
    grid: Tuple[int, int, int]
    attn: torch.Tensor
    has_cls: bool = False
    scores: Optional[torch.Tensor] = None
    scores_grid: Optional[Tuple[int, int, int]] = None


def attention_probs(attn: nn.Module, tokens: torch.Tensor) -> torch.Tensor:
    """``softmax(q k^T * scale)`` of an :class:`Attention` module for
    normalised tokens ``(B, N, C)`` -> ``(B, heads, N, N)`` float32."""
    B, N, C = tokens.shape
    heads = attn.num_heads
    q, k, _ = attn.qkv(tokens).reshape(B, N, 3, heads, C // heads).permute(
        2, 0, 3, 1, 4).unbind(0)
    logits = (q.float() @ k.float().transpose(-2, -1)) * attn.scale
    return logits.softmax(-1)


def _grid(x: torch.Tensor) -> Tuple[int, int, int]:
    return tuple(x.shape[2:]) if x.dim() == 5 else (1, *x.shape[2:])


def _window_attention(block: GlobalBlock, tokens: torch.Tensor,
                      hw: Tuple[int, int]) -> torch.Tensor:
    B, N, C = tokens.shape
    H, W = hw
    ws = block.window_size
    pad_h, pad_w = (ws - H % ws) % ws, (ws - W % ws) % ws
    Hp, Wp = H + pad_h, W + pad_w
    x = F.pad(block.norm1(tokens).view(B, H, W, C),
              (0, 0, 0, pad_w, 0, pad_h))
    windows = x.view(B, Hp // ws, ws, Wp // ws, ws, C).permute(
        0, 1, 3, 2, 4, 5).reshape(-1, ws * ws, C)
    probs = attention_probs(block.attn, windows)
    heads = probs.shape[1]
    num_windows = (Hp // ws) * (Wp // ws)
    probs = probs.view(B, num_windows, heads, ws * ws, ws * ws)
    index = torch.arange(Hp * Wp, device=tokens.device).view(
        Hp // ws, ws, Wp // ws, ws).permute(0, 2, 1, 3).reshape(
            num_windows, ws * ws)
    dense = probs.new_zeros(B, heads, Hp * Wp, Hp * Wp)
    for w in range(num_windows):
        idx = index[w]
        dense[:, :, idx[:, None], idx[None, :]] = probs[:, w]
    real = torch.arange(Hp * Wp, device=tokens.device).view(Hp, Wp)[:H, :W]
    real = real.reshape(-1)
    dense = dense[:, :, real][:, :, :, real]
    return dense / dense.sum(-1, keepdim=True).clamp_min(1e-12)


def _split_attention(block: GlobalBlock, x: torch.Tensor) -> torch.Tensor:
    B, C, T, H, W = x.shape
    frames = x.view(B, C, T, H * W)
    temporal = frames.permute(0, 3, 2, 1).reshape(B * H * W, T, C)
    temporal = temporal + block.t_attn(block.t_norm(temporal))
    spatial = temporal.view(B, H * W, T, C).transpose(1, 2).reshape(
        B * T, H * W, C)
    probs = attention_probs(block.attn, block.norm1(spatial))
    heads = probs.shape[1]
    probs = probs.view(B, T, heads, H * W, H * W)
    dense = probs.new_zeros(B, heads, T * H * W, T * H * W)
    for t in range(T):
        s = slice(t * H * W, (t + 1) * H * W)
        dense[:, :, s, s] = probs[:, t]
    return dense


def _hourglass_attention(block: HourglassBlock, tokens: torch.Tensor,
                         cls_token: torch.Tensor,
                         scores: Optional[torch.Tensor]) -> torch.Tensor:
    B, N, _ = tokens.shape
    if block.keep_ratio == 1:
        seq = torch.cat([cls_token, tokens], dim=1)
        return attention_probs(block.attn, block.norm1(seq))
    num_keep = int(N * block.keep_ratio)
    order = torch.argsort(scores, dim=1, descending=True)
    sorted_tokens = tokens.gather(
        1, order.unsqueeze(-1).expand(-1, -1, tokens.shape[-1]))
    sorted_scores = scores.gather(1, order)
    kept, merged = sorted_tokens[:, :num_keep], sorted_tokens[:, num_keep:]
    merged_scores = sorted_scores[:, num_keep:]
    weights = merged_scores / merged_scores.sum(dim=1, keepdim=True)
    representative = (weights.unsqueeze(-1) * merged).sum(1, keepdim=True)
    seq = torch.cat([cls_token, kept, representative], dim=1)
    probs = attention_probs(block.attn, block.norm1(seq))  # (B, h, K+2, K+2)
    num_merged = N - num_keep
    cols = torch.cat([
        probs[..., :num_keep + 1],
        probs[..., num_keep + 1:] * weights.float()[:, None, None, :]
    ], dim=-1)  # (B, h, K+2, N+1), sorted order
    rows = torch.cat([
        cols[:, :, :num_keep + 1], cols[:, :, num_keep + 1:].expand(
            -1, -1, num_merged, -1)
    ], dim=2)  # (B, h, N+1, N+1), sorted order
    dense = torch.empty_like(rows)
    for b in range(B):
        perm = torch.cat([order.new_zeros(1), order[b] + 1])
        inverse = torch.argsort(perm)
        dense[b] = rows[b][:, inverse][:, :, inverse]
    return dense


class AttentionRecorder:
    """Record the attention of every global block of ``model`` while it runs.

    Use as a context manager around a forward pass; ``records`` then holds
    one :class:`BlockAttention` per global block call, in forward order::

        with AttentionRecorder(model) as recorder:
            model(inputs)
        last = recorder.records[-1]
    """

    def __init__(self, model: nn.Module):
        self.model = model
        self.records: List[BlockAttention] = []
        self._handles = []
        self.blocks = [(name, m) for name, m in model.named_modules()
                       if isinstance(m, GlobalBlock)]
        if not self.blocks:
            raise ValueError(f'{type(model).__name__} has no global '
                             'attention block (GlobalBlock / HourglassBlock)')

    def __enter__(self) -> 'AttentionRecorder':
        self.records = []
        for name, block in self.blocks:
            self._handles.append(
                block.register_forward_pre_hook(self._pre_hook(name)))
            if isinstance(block, HourglassBlock):
                self._handles.append(
                    block.register_forward_hook(self._scores_hook))
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def _pre_hook(self, name: str):

        def hook(block, args):
            with torch.no_grad():
                x = block.position_encoding(args[0])
                grid = _grid(x)
                tokens = x.flatten(2).transpose(1, 2)
                if isinstance(block, HourglassBlock):
                    attn = _hourglass_attention(block, tokens, args[1],
                                                args[2])
                    mode, has_cls = 'hourglass', True
                elif block.attn_mode == 'split':
                    attn, mode, has_cls = _split_attention(block,
                                                           x), 'split', False
                elif block.attn_mode == 'window':
                    attn = _window_attention(block, tokens, x.shape[-2:])
                    mode, has_cls = 'window', False
                else:
                    attn = attention_probs(block.attn, block.norm1(tokens))
                    mode, has_cls = 'global', False
            self.records.append(
                BlockAttention(name, mode, grid, attn.detach(), has_cls))

        return hook

    def _scores_hook(self, block, args, output):
        record = self.records[-1]
        scores = output[2].detach().float()
        T, H, W = record.grid
        if block.downsample_scores:
            H, W = H // 2, W // 2
        record.scores, record.scores_grid = scores, (T, H, W)


def record_attention(model: nn.Module,
                     inputs: torch.Tensor) -> List[BlockAttention]:
    """Run ``model(inputs)`` in eval mode, without gradients, and return the
    attention of every global block."""
    model.eval()
    with torch.no_grad(), AttentionRecorder(model) as recorder:
        model(inputs)
    return recorder.records


# ------------------------------------------------------------------ maps
def block_maps(record: BlockAttention,
               query: Optional[Sequence[float]] = None) -> torch.Tensor:
    """Per-head maps of one block, ``(B, heads, T, H, W)``.

    Hourglass blocks: the class token's attention. Other blocks: with
    ``query`` (relative ``(y, x)`` in [0, 1], every frame) the attention of
    that token; without, the attention each token receives, averaged over
    all queries (the tokens the average-pooled head reads from).
    """
    attn = record.attn
    T, H, W = record.grid
    if record.has_cls:
        maps = attn[:, :, 0, 1:]
    elif query is not None:
        y = min(int(query[0] * H), H - 1)
        x = min(int(query[1] * W), W - 1)
        rows = [t * H * W + y * W + x for t in range(T)]
        maps = attn[:, :, rows].mean(2)
    else:
        maps = attn.mean(2)
    return maps.reshape(*maps.shape[:2], T, H, W)


def _pooling(src: Tuple[int, int, int], dst: Tuple[int, int, int],
             has_cls: bool, device) -> torch.Tensor:
    """``(N_dst, N_src)`` matrix averaging the tokens of ``src`` under each
    token of the coarser grid ``dst`` (a patch embedding between stages)."""
    n_src = math.prod(src)
    eye = torch.eye(n_src, device=device).view(n_src, 1, *src)
    pooled = F.adaptive_avg_pool3d(eye, dst).reshape(n_src, -1).t()
    if has_cls:
        pooled = F.pad(pooled, (1, 0, 1, 0))
        pooled[0, 0] = 1
    return pooled


def rollout(records: Sequence[BlockAttention]) -> torch.Tensor:
    """Attention rollout (Abnar & Zuidema, 2020) through the recorded blocks.

    Each block contributes ``0.5 * mean_heads(A) + 0.5 * I`` (the residual),
    renormalised; between stages the stage-4 tokens are mapped to the
    stage-3 tokens under them. Returns ``(B, T, H, W)`` on the grid of the
    first block: the class token's row (hourglass) or the mean over the last
    block's tokens (average-pooled heads).
    """
    if not records:
        raise ValueError('no attention recorded')
    result, grid = None, None
    has_cls = records[0].has_cls
    for record in records:
        attn = record.attn.mean(1)
        eye = torch.eye(attn.shape[-1], device=attn.device)
        attn = 0.5 * attn + 0.5 * eye
        attn = attn / attn.sum(-1, keepdim=True)
        if result is None:
            result = attn
        else:
            if record.grid != grid:
                result = _pooling(grid, record.grid, has_cls,
                                  attn.device) @ result
            result = attn @ result
        grid = record.grid
    first = records[0].grid
    if has_cls:
        out = result[:, 0, 1:]
    else:
        out = result.mean(1)
    return out.reshape(out.shape[0], *first)


# ------------------------------------------------------------------ drawing
def overlay(image: np.ndarray, heat: np.ndarray, alpha: float = 0.5,
            normalize: bool = True) -> np.ndarray:
    """A JET heat map ``(h, w)`` resized onto a BGR uint8 ``image``."""
    import cv2
    heat = heat.astype(np.float32)
    if normalize:
        heat = heat - heat.min()
        heat = heat / max(float(heat.max()), 1e-12)
    heat = cv2.resize(heat, image.shape[1::-1], interpolation=cv2.INTER_LINEAR)
    colour = cv2.applyColorMap(np.uint8(255 * np.clip(heat, 0, 1)),
                               cv2.COLORMAP_JET)
    return np.uint8(alpha * colour + (1 - alpha) * image)


def draw_maps(frames: np.ndarray, maps: np.ndarray,
              labels: Sequence[str], min_size: int = 192) -> np.ndarray:
    """Heat maps over frames: ``frames`` ``(T_img, h, w, 3)`` BGR uint8,
    ``maps`` ``(n, T, H, W)`` with a label each. Videos: one row per map, one
    column per frame (a map with fewer frames than the clip, after temporal
    downsampling, covers consecutive frames); an image: one row of maps.
    Small inputs are enlarged to ``min_size`` pixels."""
    import cv2
    n_frames = frames.shape[0]
    scale = max(1, -(-min_size // max(frames.shape[1:3])))
    if scale > 1:
        frames = np.stack([
            cv2.resize(f, None, fx=scale, fy=scale,
                       interpolation=cv2.INTER_NEAREST) for f in frames
        ])

    rows = []
    for label, heat in zip(labels, maps):
        row = []
        for i in range(n_frames):
            t = min(i * heat.shape[0] // n_frames, heat.shape[0] - 1)
            row.append(overlay(frames[i], heat[t]))
        if n_frames == 1:
            rows.append(labelled(row[0], label))
        else:
            rows.append(labelled(np.concatenate(row, axis=1), label))
    return np.concatenate(rows, axis=1 if n_frames == 1 else 0)


# ------------------------------------------------------------------ a model
def select_block(records: Sequence[BlockAttention], block) -> BlockAttention:
    """``block``: an index into the global blocks in forward order (``-1``:
    the last) or a module name (``'blocks4.0'``)."""
    if isinstance(block, str) and not block.lstrip('-').isdigit():
        for record in records:
            if record.name == block:
                return record
        raise ValueError(f'no global block {block!r}; the global blocks are '
                         + ', '.join(r.name for r in records))
    index = int(block)
    if not -len(records) <= index < len(records):
        raise ValueError(f'block {index} out of range: the model has '
                         f'{len(records)} global blocks')
    return records[index]


def model_attention(model: nn.Module, inputs: torch.Tensor, block=-1,
                    query: Optional[Sequence[float]] = None) -> dict:
    """The maps the tool draws, as numpy arrays for sample 0.

    Returns ``dict(record=BlockAttention, heads=(heads, T, H, W),
    mean=(T, H, W), rollout=(T', H', W'), scores=(T'', H'', W'') or None)``.
    """
    backbone = getattr(model, 'backbone', model)
    records = record_attention(backbone, inputs)
    record = select_block(records, block)
    heads = block_maps(record, query)[0]
    scores = None
    if record.scores is not None:
        scores = record.scores[0].reshape(record.scores_grid).cpu().numpy()
    return dict(record=record, heads=heads.cpu().numpy(),
                mean=heads.mean(0).cpu().numpy(),
                rollout=rollout(records)[0].cpu().numpy(), scores=scores)


def write_attention_pngs(model: nn.Module, inputs: torch.Tensor,
                         frames: np.ndarray, out_prefix: str, block=-1,
                         query: Optional[Sequence[float]] = None) -> List[str]:
    """Write ``<out_prefix>_attention.png`` (the chosen block: mean, then
    each head; one column per frame), ``<out_prefix>_rollout.png`` and, for
    hourglass blocks, ``<out_prefix>_scores.png`` (running token scores);
    returns the paths."""
    import cv2
    maps = model_attention(model, inputs, block, query)
    record = maps['record']
    labels = [f'{record.name} {record.mode}, mean'] + [
        f'head {h}' for h in range(maps['heads'].shape[0])
    ]
    pictures = {
        'attention': draw_maps(
            frames, np.concatenate([maps['mean'][None], maps['heads']]),
            labels),
        'rollout': draw_maps(frames, maps['rollout'][None],
                             ['rollout, global stages']),
    }
    if maps['scores'] is not None:
        pictures['scores'] = draw_maps(frames, maps['scores'][None],
                                       ['running token scores'])
    paths = []
    for kind, picture in pictures.items():
        path = f'{out_prefix}_{kind}.png'
        if not cv2.imwrite(path, picture):
            raise OSError(f'could not write {path}')
        paths.append(path)
    return paths
