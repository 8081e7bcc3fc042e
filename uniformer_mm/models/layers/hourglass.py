"""Hourglass attention block of the efficient UniFormer (XXS / XS).

Token shrinking and recovering (the official ``EvoSABlock``, after Evo-ViT):
a class token travels with the patch tokens through stages 3-4; its
attention ranks the tokens. A shrinking block keeps the top ``keep_ratio``
tokens, merges the rest into one representative token, runs attention + MLP
on ``[cls, kept, representative]``, adds the representative token's update to
every merged token, and puts all tokens back in their original order.

With layer scale the official code has two ways of scaling that update of
the merged tokens (``merged_token_scale``): the image light models
(``uniformer_light.py``) add ``gamma_3 * (attn + mlp)`` of the
representative token; the video light models with layer scale
(``uniformer_light_ls_fp32.py``) add ``gamma_1 * attn + gamma_2 * mlp``, the
scaled branches themselves, and have no ``gamma_3``.

The official code keeps the ranking scores in module-level globals; here they
are passed explicitly: ``x, cls_token, scores = block(x, cls_token, scores)``.
"""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .blocks import GlobalBlock, layer_scale, scaled

MERGED_TOKEN_SCALES = ('gamma_3', 'branch')


def _gather_tokens(x: torch.Tensor, order: torch.Tensor) -> torch.Tensor:
    """``x[b, order[b]]`` for ``(B, N, C)`` tokens or ``(B, N)`` scores."""
    if x.dim() == 2:
        return x.gather(1, order)
    return x.gather(1, order.unsqueeze(-1).expand(-1, -1, x.shape[-1]))


def _scatter_tokens(x: torch.Tensor, order: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`_gather_tokens`: put sorted tokens back in place."""
    if x.dim() == 2:
        return torch.empty_like(x).scatter_(1, order, x)
    index = order.unsqueeze(-1).expand(-1, -1, x.shape[-1])
    return torch.empty_like(x).scatter_(1, index, x)


class HourglassBlock(GlobalBlock):
    """Global block with class token and token shrinking/recovering.

    Args:
        keep_ratio (float): fraction of tokens kept; 1 disables shrinking.
        trade_off (float): weight of this block's class attention when it
            updates the running token scores.
        downsample_scores (bool): average-pool the scores 2x2 after the
            block (the last stage-3 block, whose scores seed stage 4).
        merged_token_scale (str): with layer scale, how a shrinking block
            scales the update of the merged tokens: ``'gamma_3'`` (image
            light models: its own ``gamma_3``) or ``'branch'`` (video light
            models with layer scale: ``gamma_1`` / ``gamma_2``).

    Forward: ``x`` ``(B, C, [T,] H, W)``, ``cls_token`` ``(B, 1, C)``,
    ``scores`` ``(B, N)`` or None (first block) -> the same three, updated.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 mlp_ratio: float,
                 drop_path: float = 0.,
                 layer_scale_init_value: Optional[float] = None,
                 keep_ratio: float = 1.,
                 trade_off: float = 1.,
                 downsample_scores: bool = False,
                 merged_token_scale: str = 'gamma_3',
                 video: bool = False,
                 attn_fp32: bool = False):
        super().__init__(dim, num_heads, mlp_ratio, drop_path,
                         layer_scale_init_value, 'global', video=video,
                         attn_fp32=attn_fp32)
        self.keep_ratio = keep_ratio
        self.trade_off = trade_off
        self.downsample_scores = downsample_scores
        if merged_token_scale not in MERGED_TOKEN_SCALES:
            raise ValueError(f'merged_token_scale must be one of '
                             f'{MERGED_TOKEN_SCALES}, got '
                             f'{merged_token_scale!r}')
        self.merged_token_scale = merged_token_scale
        own_scale = keep_ratio < 1 and merged_token_scale == 'gamma_3'
        self.gamma_3 = layer_scale(layer_scale_init_value, dim,
                                   1) if own_scale else None

    def forward(self, x: torch.Tensor, cls_token: torch.Tensor,
                scores: Optional[torch.Tensor]
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = self.position_encoding(x)
        shape = x.shape
        tokens = x.flatten(2).transpose(1, 2)
        if self.keep_ratio == 1:
            tokens = torch.cat([cls_token, tokens], dim=1)
            attended, cls_attn = self.attn(
                self.norm1(tokens), return_cls_attn=True)
            scores = self._update(scores, cls_attn[:, 1:])
            tokens = tokens + self.drop_path(scaled(self.gamma_1, attended))
            tokens = tokens + self.drop_path(
                scaled(self.gamma_2, self.mlp(self.norm2(tokens))))
            cls_token, tokens = tokens[:, :1], tokens[:, 1:]
        else:
            cls_token, tokens, scores = self._shrink_and_recover(
                cls_token, tokens, scores)
        x = tokens.transpose(1, 2).reshape(shape)
        if self.downsample_scores:
            scores = self._downsample(scores, shape)
        return x, cls_token, scores

    def layer_scale_targets(self) -> List[Tuple[str, nn.Module]]:
        """As :class:`GlobalBlock`, except that a shrinking block with
        ``gamma_3`` keeps its layer scales: the update of its merged tokens
        reads the unscaled branches."""
        if self.keep_ratio < 1 and self.merged_token_scale == 'gamma_3':
            return []
        return super().layer_scale_targets()

    def _update(self, scores, cls_attn):
        if scores is None:
            return cls_attn
        return (1 - self.trade_off) * scores + self.trade_off * cls_attn

    def _num_keep(self, tokens: torch.Tensor):
        """``int(N * keep_ratio)`` for ``N`` tokens; a 0-dim tensor while
        traced (the TorchScript ONNX exporter), so that the exported graph
        computes it from the input size instead of freezing the traced one.
        float64 as Python's float, so both round alike."""
        if torch.jit.is_tracing():
            num_tokens = torch._shape_as_tensor(tokens)[1]
            return (num_tokens.to(torch.float64) *
                    self.keep_ratio).floor().long()
        return int(tokens.shape[1] * self.keep_ratio)

    def _shrink_and_recover(self, cls_token, tokens, scores):
        num_keep = self._num_keep(tokens)
        order = torch.argsort(scores, dim=1, descending=True)
        tokens = _gather_tokens(tokens, order)
        scores = _gather_tokens(scores, order)
        kept, merged = tokens[:, :num_keep], tokens[:, num_keep:]
        merged_scores = scores[:, num_keep:]
        weights = merged_scores / merged_scores.sum(dim=1, keepdim=True)
        representative = (weights.unsqueeze(-1) * merged).sum(
            dim=1, keepdim=True)

        x = torch.cat([cls_token, kept, representative], dim=1)
        attended, cls_attn = self.attn(self.norm1(x), return_cls_attn=True)
        if scores.shape[1] == int(tokens.shape[1] * self.keep_ratio) + 1:
            # Official quirk kept for parity: when the score vector is exactly
            # one longer than the kept set, all scores (including the merged
            # one) are updated with the attention of every non-class token.
            scores = self._update(scores, cls_attn[:, 1:])
        else:
            scores = torch.cat([
                self._update(scores[:, :num_keep], cls_attn[:, 1:-1]),
                scores[:, num_keep:]
            ], dim=1)
        x = x + self.drop_path(scaled(self.gamma_1, attended))
        mlp_out = self.mlp(self.norm2(x))
        x = x + self.drop_path(scaled(self.gamma_2, mlp_out))
        merged = merged + self._merged_update(attended[:, -1:],
                                              mlp_out[:, -1:])

        tokens = torch.cat([x[:, 1:-1], merged], dim=1)
        return (x[:, :1], _scatter_tokens(tokens, order),
                _scatter_tokens(scores, order))

    def _merged_update(self, attended: torch.Tensor,
                       mlp_out: torch.Tensor) -> torch.Tensor:
        """Update of every merged token from the representative token's
        attention and MLP branches ``(B, 1, C)``, scaled as the official
        family does (see ``merged_token_scale``)."""
        if self.merged_token_scale == 'branch':
            return (scaled(self.gamma_1, attended) +
                    scaled(self.gamma_2, mlp_out))
        return scaled(self.gamma_3, attended + mlp_out)

    @staticmethod
    def _downsample(scores: torch.Tensor, shape: torch.Size) -> torch.Tensor:
        """2x2 spatial average of the scores, rescaled to keep their sum."""
        B = shape[0]
        total = scores.sum(dim=1, keepdim=True)
        grid = scores.reshape(B, 1, *shape[2:])
        if grid.dim() == 5:
            grid = F.avg_pool3d(grid, (1, 2, 2), (1, 2, 2))
        else:
            grid = F.avg_pool2d(grid, 2, 2)
        scores = grid.reshape(B, -1)
        return scores * (total / scores.sum(dim=1, keepdim=True))
