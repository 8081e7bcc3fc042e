"""UniFormer blocks for images (NCHW) and videos (NCTHW).

Every block computes ``x = x + DPE(x)``, ``x = x + MHRA(norm(x))``,
``x = x + FFN(norm(x))``. Module names follow the official release
(Sense-X/UniFormer) so that its checkpoints load without renaming.
"""
import contextlib
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmcv.cnn.bricks import DropPath

from .fusion import fold_batch_norm_before, fold_identity, fold_output_affine

LN_EPS = 1e-6  # the blocks' LayerNorm eps in every official model


def conv_nd(video: bool):
    """``nn.Conv3d`` for videos, ``nn.Conv2d`` for images."""
    return nn.Conv3d if video else nn.Conv2d


def batch_norm(norm_cfg: dict, num_features: int, video: bool) -> nn.Module:
    """Build a batch norm from ``norm_cfg`` (``BN`` -> ``BN3d`` for video)."""
    cfg = dict(norm_cfg)
    if video and cfg['type'] in ('BN', 'BN2d'):
        cfg['type'] = 'BN3d'
    return build_norm_layer(cfg, num_features)[1]


def layer_scale(init_value: Optional[float], dim: int,
                ndim: int) -> Optional[nn.Parameter]:
    """A learnable per-channel scale shaped to broadcast over ``ndim`` dims.

    ``ndim=1`` gives ``(C,)`` for token tensors ``(B, N, C)``; larger values
    give ``(1, C, 1, ...)`` for feature maps. Returns None when disabled.
    """
    if init_value is None:
        return None
    shape = (dim, ) if ndim == 1 else (1, dim) + (1, ) * (ndim - 2)
    return nn.Parameter(init_value * torch.ones(shape))


def scaled(gamma: Optional[nn.Parameter], x: torch.Tensor) -> torch.Tensor:
    return x if gamma is None else gamma * x


class UniFormerBlock(nn.Module):
    """What every UniFormer block shares: the dynamic position encoding
    ``x + DPE(x)`` (a depthwise 3x3(x3) conv ``pos_embed``) and the folding
    of that residual and of the layer scales for inference (:meth:`fuse`).

    Subclasses say which layer produces each scaled branch
    (:meth:`layer_scale_targets`) and fold their own norms
    (:meth:`fold_norms`).
    """

    def __init__(self, dim: int, video: bool):
        super().__init__()
        self.pos_embed = conv_nd(video)(dim, dim, 3, padding=1, groups=dim)
        self.pos_embed_has_identity = False

    def position_encoding(self, x: torch.Tensor) -> torch.Tensor:
        """``x + DPE(x)``; after :meth:`fuse` the identity is inside the
        conv."""
        if self.pos_embed_has_identity:
            return self.pos_embed(x)
        return x + self.pos_embed(x)

    def layer_scale_targets(self) -> List[Tuple[str, nn.Module]]:
        """``(layer scale name, layer producing its branch)`` pairs that
        :meth:`fuse` may fold."""
        return []

    def fold_norms(self) -> None:
        """Fold eval-mode norms into adjacent layers (none by default)."""

    @torch.no_grad()
    def fuse(self) -> None:
        """Fold (eval mode) the position-encoding residual into
        ``pos_embed``, the norms (:meth:`fold_norms`) and the layer scales
        into the layers before them; the outputs do not change."""
        fold_identity(self.pos_embed)
        self.pos_embed_has_identity = True
        self.fold_norms()
        for name, layer in self.layer_scale_targets():
            gamma = getattr(self, name)
            if gamma is not None:
                fold_output_affine(layer, gamma.reshape(-1))
                setattr(self, name, None)


class Mlp(nn.Module):
    """Token MLP ``fc1 -> GELU -> fc2`` on ``(B, N, C)``; with ``conv=True``
    the same with 1x1(x1) convolutions on feature maps."""

    def __init__(self,
                 dim: int,
                 hidden_dim: int,
                 conv: bool = False,
                 video: bool = False):
        super().__init__()
        if conv:
            self.fc1 = conv_nd(video)(dim, hidden_dim, 1)
            self.fc2 = conv_nd(video)(hidden_dim, dim, 1)
        else:
            self.fc1 = nn.Linear(dim, hidden_dim)
            self.fc2 = nn.Linear(hidden_dim, dim)
        self.act = nn.GELU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class Attention(nn.Module):
    """Multi-head self-attention on ``(B, N, C)`` tokens (SDPA kernel).

    ``forward(x, return_cls_attn=True)`` also returns the head-averaged
    attention of the first (class) token over all tokens, ``(B, N)``, which
    the hourglass blocks use to rank tokens. With ``attn_fp32=True`` the
    attention itself (``softmax(q k^T) v``) runs in float32 under any
    autocast, which avoids the float16 overflow of large logits; the
    projections stay in the autocast dtype.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 attn_drop: float = 0.,
                 attn_fp32: bool = False):
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'embed dim {dim} is not divisible by '
                             f'{num_heads} heads: choose head_dim dividing it')
        self.num_heads = num_heads
        self.scale = (dim // num_heads)**-0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.attn_drop = attn_drop
        self.attn_fp32 = attn_fp32

    def forward(self, x: torch.Tensor, return_cls_attn: bool = False):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.num_heads,
                                      C // self.num_heads).permute(
                                          2, 0, 3, 1, 4).unbind(0)
        dtype = q.dtype
        if self.attn_fp32:
            q, k, v = q.float(), k.float(), v.float()
        with self._precision(x):
            out = F.scaled_dot_product_attention(
                q, k, v, dropout_p=self.attn_drop if self.training else 0.)
        out = self.proj(out.to(dtype).transpose(1, 2).reshape(B, N, C))
        if not return_cls_attn:
            return out
        with self._precision(x):
            cls_attn = (q[:, :, :1] @ k.transpose(-2, -1)) * self.scale
            cls_attn = cls_attn.softmax(-1).mean(dim=1)[:, 0]
        return out, cls_attn

    def _precision(self, x: torch.Tensor):
        """Autocast off for the float32 attention; else unchanged."""
        if self.attn_fp32:
            return torch.autocast(x.device.type, enabled=False)
        return contextlib.nullcontext()


class LocalBlock(UniFormerBlock):
    """Local MHRA block (stages 1-2): BN, 1x1 conv, depthwise 5x5(x5) conv,
    1x1 conv, then a conv MLP. Input and output ``(B, C, [T,] H, W)``."""

    def __init__(self,
                 dim: int,
                 mlp_ratio: float,
                 drop_path: float = 0.,
                 layer_scale_init_value: Optional[float] = None,
                 norm_cfg: dict = dict(type='BN'),
                 video: bool = False):
        super().__init__(dim, video)
        Conv = conv_nd(video)
        ndim = 5 if video else 4
        self.norm1 = batch_norm(norm_cfg, dim, video)
        self.conv1 = Conv(dim, dim, 1)
        self.attn = Conv(dim, dim, 5, padding=2, groups=dim)
        self.conv2 = Conv(dim, dim, 1)
        self.norm2 = batch_norm(norm_cfg, dim, video)
        self.mlp = Mlp(dim, int(dim * mlp_ratio), conv=True, video=video)
        self.drop_path = DropPath(drop_path) if drop_path else nn.Identity()
        self.gamma_1 = layer_scale(layer_scale_init_value, dim, ndim)
        self.gamma_2 = layer_scale(layer_scale_init_value, dim, ndim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.position_encoding(x)
        aggregated = self.conv2(self.attn(self.conv1(self.norm1(x))))
        x = x + self.drop_path(scaled(self.gamma_1, aggregated))
        mlp_out = self.mlp(self.norm2(x))
        return x + self.drop_path(scaled(self.gamma_2, mlp_out))

    def fold_norms(self) -> None:
        """``norm1`` into ``conv1``, ``norm2`` into ``mlp.fc1`` (both 1x1)."""
        self.norm1 = fold_batch_norm_before(self.norm1, self.conv1)
        self.norm2 = fold_batch_norm_before(self.norm2, self.mlp.fc1)

    def layer_scale_targets(self) -> List[Tuple[str, nn.Module]]:
        return [('gamma_1', self.conv2), ('gamma_2', self.mlp.fc2)]


class GlobalBlock(UniFormerBlock):
    """Global MHRA block (stages 3-4) on ``(B, C, [T,] H, W)`` maps.

    Args:
        attn_mode (str): ``'global'`` attends over all (spatio-temporal)
            tokens; ``'window'`` over non-overlapping ``window_size`` squares
            (2D only; the map is zero-padded after the norm to a multiple of
            the window, as in the official detection code); ``'split'``
            attends over time at each position, then over space in each frame
            (3D only, the official ``SplitSABlock``).
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 mlp_ratio: float,
                 drop_path: float = 0.,
                 layer_scale_init_value: Optional[float] = None,
                 attn_mode: str = 'global',
                 window_size: int = 14,
                 video: bool = False,
                 attn_fp32: bool = False):
        super().__init__(dim, video)
        self.attn_mode = attn_mode
        self.window_size = window_size
        if attn_mode == 'split':
            self.t_norm = nn.LayerNorm(dim, eps=LN_EPS)
            self.t_attn = Attention(dim, num_heads, attn_fp32=attn_fp32)
        self.norm1 = nn.LayerNorm(dim, eps=LN_EPS)
        self.attn = Attention(dim, num_heads, attn_fp32=attn_fp32)
        self.norm2 = nn.LayerNorm(dim, eps=LN_EPS)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.drop_path = DropPath(drop_path) if drop_path else nn.Identity()
        self.gamma_1 = layer_scale(layer_scale_init_value, dim, 1)
        self.gamma_2 = layer_scale(layer_scale_init_value, dim, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.position_encoding(x)
        shape = x.shape
        if self.attn_mode == 'split':
            tokens = self._split_attention(x)
        else:
            tokens = x.flatten(2).transpose(1, 2)  # (B, N, C)
            if self.attn_mode == 'window':
                attended = self._window_attention(
                    self.norm1(tokens), shape[-2:])
            else:
                attended = self.attn(self.norm1(tokens))
            tokens = tokens + self.drop_path(scaled(self.gamma_1, attended))
        tokens = tokens + self.drop_path(
            scaled(self.gamma_2, self.mlp(self.norm2(tokens))))
        return tokens.transpose(1, 2).reshape(shape)

    def layer_scale_targets(self) -> List[Tuple[str, nn.Module]]:
        """``gamma_1`` into ``attn.proj`` (the split path has none),
        ``gamma_2`` into ``mlp.fc2``.

        The LayerNorm affines are not folded: folding them into ``qkv`` /
        ``fc1`` is exact, but torch's CPU LayerNorm without an affine is
        about 2x slower than with one (torch 2.14, measured), which applies
        the affine inside the same kernel.
        """
        targets = [('gamma_2', self.mlp.fc2)]
        if self.attn_mode != 'split':
            targets.insert(0, ('gamma_1', self.attn.proj))
        return targets

    def _window_attention(self, tokens: torch.Tensor,
                          hw: Tuple[int, int]) -> torch.Tensor:
        """Attention inside ``window_size`` windows; ``(B, H*W, C)`` in/out."""
        B, _, C = tokens.shape
        H, W = hw
        ws = self.window_size
        pad_h, pad_w = (ws - H % ws) % ws, (ws - W % ws) % ws
        x = F.pad(tokens.view(B, H, W, C), (0, 0, 0, pad_w, 0, pad_h))
        Hp, Wp = H + pad_h, W + pad_w
        windows = x.view(B, Hp // ws, ws, Wp // ws, ws, C).permute(
            0, 1, 3, 2, 4, 5).reshape(-1, ws * ws, C)
        windows = self.attn(windows)
        x = windows.view(B, Hp // ws, Wp // ws, ws, ws, C).permute(
            0, 1, 3, 2, 4, 5).reshape(B, Hp, Wp, C)
        return x[:, :H, :W].reshape(B, H * W, C)

    def _split_attention(self, x: torch.Tensor) -> torch.Tensor:
        """Temporal then spatial attention; returns ``(B, T*H*W, C)`` tokens.

        As in the official code, the temporal result only feeds the spatial
        attention: the spatial residual is the block input.
        """
        B, C, T, H, W = x.shape
        frames = x.view(B, C, T, H * W)
        temporal = frames.permute(0, 3, 2, 1).reshape(B * H * W, T, C)
        temporal = temporal + self.drop_path(
            self.t_attn(self.t_norm(temporal)))
        spatial = temporal.view(B, H * W, T, C).transpose(1, 2).reshape(
            B * T, H * W, C)
        residual = frames.permute(0, 2, 3, 1).reshape(B * T, H * W, C)
        spatial = residual + self.drop_path(self.attn(self.norm1(spatial)))
        return spatial.reshape(B, T * H * W, C)
