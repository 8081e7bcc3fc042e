"""Exact algebraic foldings for inference (:meth:`UniFormer.fuse`).

Each function rewrites the weights of one layer so that it absorbs a
neighbouring affine map; the caller then drops that map. All are exact in
real arithmetic (outputs change by float32 rounding only) under the stated
conditions, and all work for 2D and 3D layers.
"""
import torch
import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm


def batch_norm_affine(bn: _BatchNorm):
    """Eval-mode batch norm as ``x * scale + shift``, both ``(C,)``."""
    scale = torch.rsqrt(bn.running_var + bn.eps)
    if bn.affine:
        scale = scale * bn.weight
    shift = -bn.running_mean * scale
    if bn.affine:
        shift = shift + bn.bias
    return scale, shift


def _ensure_bias(layer: nn.Module) -> torch.Tensor:
    if layer.bias is None:
        out_channels = layer.weight.shape[0]
        layer.bias = nn.Parameter(layer.weight.new_zeros(out_channels))
    return layer.bias


def fold_input_affine(layer: nn.Module, scale: torch.Tensor,
                      shift: torch.Tensor) -> None:
    """Make ``layer(x)`` compute ``old_layer(x * scale + shift)``.

    ``layer`` is an ``nn.Linear`` or a 1x1(x1), ungrouped convolution (a
    larger kernel would see the shift in its zero padding, which is not
    exact); ``scale`` and ``shift`` are per input channel, ``(C_in,)``.
    """
    weight = layer.weight
    if isinstance(layer, nn.modules.conv._ConvNd):
        if any(k != 1 for k in layer.kernel_size) or layer.groups != 1:
            raise ValueError('only a 1x1 ungrouped convolution can absorb '
                             'an affine map on its input exactly')
    bias = _ensure_bias(layer)
    flat = weight.reshape(weight.shape[0], weight.shape[1])
    bias.copy_(bias + flat @ shift)
    view = (1, -1) + (1, ) * (weight.dim() - 2)
    weight.mul_(scale.reshape(view))


def fold_output_affine(layer: nn.Module, scale: torch.Tensor,
                       shift: torch.Tensor = None) -> None:
    """Make ``layer(x)`` compute ``old_layer(x) * scale + shift`` for an
    ``nn.Linear`` or any convolution; ``scale``/``shift`` ``(C_out,)``."""
    weight = layer.weight
    bias = _ensure_bias(layer)
    weight.mul_(scale.reshape((-1, ) + (1, ) * (weight.dim() - 1)))
    bias.mul_(scale)
    if shift is not None:
        bias.add_(shift)


def fold_identity(depthwise: nn.Module) -> None:
    """Make a depthwise ``'same'`` convolution compute ``x + old_conv(x)``
    (a 1 at the kernel centre, which never reads the padding)."""
    weight = depthwise.weight
    if depthwise.groups != weight.shape[0] or weight.shape[1] != 1 or any(
            k != 2 * p + 1 for k, p in zip(depthwise.kernel_size,
                                           depthwise.padding)):
        raise ValueError('only a depthwise, size-preserving convolution can '
                         'absorb its residual connection')
    centre = (slice(None), 0) + tuple(k // 2 for k in depthwise.kernel_size)
    weight[centre] += 1


def fold_batch_norm_before(bn: _BatchNorm, layer: nn.Module) -> nn.Identity:
    """Fold ``bn`` into the 1x1 conv or linear ``layer`` that follows it;
    returns the ``nn.Identity`` that replaces ``bn``."""
    fold_input_affine(layer, *batch_norm_affine(bn))
    return nn.Identity()


def fold_batch_norm_after(layer: nn.Module, bn: _BatchNorm) -> nn.Identity:
    """Fold ``bn`` into the convolution ``layer`` that precedes it; returns
    the ``nn.Identity`` that replaces ``bn``."""
    fold_output_affine(layer, *batch_norm_affine(bn))
    return nn.Identity()
