"""Patch embeddings that start each UniFormer stage.

All take and return feature maps: ``(B, C_in, [T,] H, W) -> (B, C_out, [T',]
H', W')``. Sizes round down like the convolutions, so any input size works.
"""
import torch
import torch.nn as nn

from .blocks import batch_norm, conv_nd
from .fusion import fold_batch_norm_after


class PatchEmbed(nn.Module):
    """Non-overlapping conv (kernel = stride = ``patch_size``) + LayerNorm.

    For video, the kernel is ``(temporal_kernel, p, p)`` with stride
    ``(temporal_stride, p, p)`` and temporal padding ``temporal_kernel // 2``:
    ``(3, 4, 4) / (2, 4, 4)`` for the first stage, ``(1, 2, 2)`` after it
    (``(3, 2, 2)`` with the official ``STD`` switch).
    """

    def __init__(self,
                 in_channels: int,
                 embed_dim: int,
                 patch_size: int,
                 video: bool = False,
                 temporal_kernel: int = 1,
                 temporal_stride: int = 1):
        super().__init__()
        if video:
            self.proj = nn.Conv3d(
                in_channels,
                embed_dim,
                kernel_size=(temporal_kernel, patch_size, patch_size),
                stride=(temporal_stride, patch_size, patch_size),
                padding=(temporal_kernel // 2, 0, 0))
        else:
            self.proj = nn.Conv2d(
                in_channels, embed_dim, patch_size, stride=patch_size)
        self.norm = nn.LayerNorm(embed_dim)  # eps 1e-5, as released

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.proj(x)
        shape = x.shape
        x = self.norm(x.flatten(2).transpose(1, 2))
        return x.transpose(1, 2).reshape(shape)


class ConvStem(nn.Module):
    """Overlapping stem of S+ and the light models: two 3x3 stride-2 convs
    with BN, GELU between (``/4`` overall). For video, 3x3x3 convs with
    strides ``(1, 2, 2)`` then ``(2, 2, 2)`` (the official light video stem).
    """

    def __init__(self, in_channels: int, embed_dim: int, norm_cfg: dict,
                 video: bool = False):
        super().__init__()
        Conv = conv_nd(video)
        first_stride, second_stride = ((1, 2, 2), 2) if video else (2, 2)
        self.proj = nn.Sequential(
            Conv(in_channels, embed_dim // 2, 3, first_stride, 1),
            batch_norm(norm_cfg, embed_dim // 2, video),
            nn.GELU(),
            Conv(embed_dim // 2, embed_dim, 3, second_stride, 1),
            batch_norm(norm_cfg, embed_dim, video),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x)

    @torch.no_grad()
    def fuse(self) -> None:
        """Fold (eval mode) each batch norm into the conv before it."""
        fuse_conv_batch_norm_pairs(self.proj)


class ConvDownsample(nn.Module):
    """Overlapping downsampling of S+ between stages: 3x3 stride-2 conv + BN
    (``1x3x3`` with spatial stride 2 for video)."""

    def __init__(self, in_channels: int, embed_dim: int, norm_cfg: dict,
                 video: bool = False):
        super().__init__()
        if video:
            conv = nn.Conv3d(in_channels, embed_dim, (1, 3, 3), (1, 2, 2),
                             (0, 1, 1))
        else:
            conv = nn.Conv2d(in_channels, embed_dim, 3, 2, 1)
        self.proj = nn.Sequential(conv,
                                  batch_norm(norm_cfg, embed_dim, video))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(x)

    @torch.no_grad()
    def fuse(self) -> None:
        """Fold (eval mode) the batch norm into the conv before it."""
        fuse_conv_batch_norm_pairs(self.proj)


def fuse_conv_batch_norm_pairs(layers: nn.Sequential) -> None:
    """Fold every batch norm of ``layers`` that directly follows a
    convolution into it (the norm becomes an ``nn.Identity``)."""
    for i in range(1, len(layers)):
        if isinstance(layers[i], nn.modules.batchnorm._BatchNorm) and \
                isinstance(layers[i - 1], nn.modules.conv._ConvNd):
            layers[i] = fold_batch_norm_after(layers[i - 1], layers[i])
