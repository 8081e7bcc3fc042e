"""The UniFormer variants (:data:`ARCH_ZOO`) and the checks of the
backbone's constructor arguments, each with an error that names the fix."""
from typing import List, Sequence, Tuple, Union

from ..layers import MERGED_TOKEN_SCALES

ATTN_MODES = ('global', 'window', 'hybrid', 'split')

_SMALL = dict(depths=[3, 4, 8, 3], embed_dims=[64, 128, 320, 512],
              head_dim=64, mlp_ratio=4)
_BASE = dict(_SMALL, depths=[5, 8, 20, 7])
_SMALL_PLUS = dict(_SMALL, depths=[3, 5, 9, 3], head_dim=32, conv_stem=True,
                   conv_downsample=True)
_XXSMALL = dict(depths=[2, 5, 8, 2], embed_dims=[56, 112, 224, 448],
                head_dim=28, mlp_ratio=3, conv_stem=True, token_keep_ratio=0.5)
_XSMALL = dict(depths=[3, 5, 9, 3], embed_dims=[64, 128, 256, 512],
               head_dim=32, mlp_ratio=3, conv_stem=True, token_keep_ratio=0.5)
# The official video light models with layer scale
# (uniformer_light_ls_fp32.py): every block scaled, and the merged tokens of
# a shrinking block updated by the scaled branches (no gamma_3).
_VIDEO_LIGHT_LS = dict(layer_scale_stages=[0, 1, 2, 3],
                       merged_token_scale='branch')

#: Every released variant by name; aliases share one dict.
ARCH_ZOO = {
    **dict.fromkeys(['xxs', 'xxsmall'], _XXSMALL),
    **dict.fromkeys(['xxs-ls', 'xxsmall-ls'],
                    dict(_XXSMALL, **_VIDEO_LIGHT_LS)),
    **dict.fromkeys(['xs', 'xsmall'], _XSMALL),
    **dict.fromkeys(['xs-ls', 'xsmall-ls'], dict(_XSMALL, **_VIDEO_LIGHT_LS)),
    **dict.fromkeys(['s', 'small'], _SMALL),
    **dict.fromkeys(['s-tl', 'small-tl'], dict(_SMALL, head_dim=32)),
    **dict.fromkeys(['s+', 'small-plus'], _SMALL_PLUS),
    **dict.fromkeys(['s+64', 'small-plus-dim64'],
                    dict(_SMALL_PLUS, head_dim=64)),
    **dict.fromkeys(['b', 'base'], _BASE),
    **dict.fromkeys(['b-ls', 'base-ls'],
                    dict(_BASE, layer_scale_stages=[2, 3])),
    **dict.fromkeys(['b-tl', 'base-tl'], dict(_BASE, head_dim=32)),
    **dict.fromkeys(['l', 'large'], dict(
        depths=[5, 10, 24, 7], embed_dims=[128, 192, 448, 640], head_dim=64,
        mlp_ratio=4, layer_scale_stages=[0, 1, 2, 3])),
}
#: Optional arch keys and their defaults.
ARCH_DEFAULTS = dict(conv_stem=False, conv_downsample=False,
                     layer_scale_stages=[], token_keep_ratio=None,
                     token_trade_off=0.5, merged_token_scale='gamma_3')
ARCH_REQUIRED = ('depths', 'embed_dims', 'head_dim', 'mlp_ratio')


def parse_arch(arch: Union[str, dict]) -> dict:
    """The complete arch dict of a name in :data:`ARCH_ZOO` or of a custom
    dict (required keys :data:`ARCH_REQUIRED`, optional
    :data:`ARCH_DEFAULTS`)."""
    if isinstance(arch, str):
        if arch.lower() not in ARCH_ZOO:
            raise ValueError(f'unknown UniFormer arch {arch!r}; choose one '
                             f'of {sorted(ARCH_ZOO)} or pass a dict')
        arch = ARCH_ZOO[arch.lower()]
    if not isinstance(arch, dict):
        raise TypeError(f'arch must be a str or a dict, got {type(arch)}')
    missing = [k for k in ARCH_REQUIRED if k not in arch]
    unknown = [k for k in arch
               if k not in ARCH_REQUIRED and k not in ARCH_DEFAULTS]
    if missing or unknown:
        raise ValueError(
            f'custom arch dict: missing keys {missing}, unknown keys '
            f'{unknown}; required {list(ARCH_REQUIRED)}, optional '
            f'{list(ARCH_DEFAULTS)}')
    arch = {**ARCH_DEFAULTS, **arch}
    if len(arch['depths']) != 4 or len(arch['embed_dims']) != 4:
        raise ValueError('arch depths and embed_dims need 4 entries, got '
                         f'{arch["depths"]} and {arch["embed_dims"]}')
    if arch['merged_token_scale'] not in MERGED_TOKEN_SCALES:
        raise ValueError(f'arch merged_token_scale must be one of '
                         f'{MERGED_TOKEN_SCALES}, got '
                         f'{arch["merged_token_scale"]!r}')
    return arch


def named_archs() -> dict:
    """``{name: complete arch dict}`` of :data:`ARCH_ZOO` (aliases share one
    dict), to name the variant a checkpoint looks like."""
    complete = {id(arch): parse_arch(arch) for arch in ARCH_ZOO.values()}
    return {name: complete[id(arch)] for name, arch in ARCH_ZOO.items()}


def check_video_arguments(video: bool, embed_temporal_kernel: int,
                          inflate_mode: str) -> None:
    if inflate_mode not in ('average', 'center'):
        raise ValueError("inflate_mode must be 'average' or 'center', got "
                         f'{inflate_mode!r}')
    if embed_temporal_kernel not in (1, 3):
        raise ValueError('embed_temporal_kernel must be 1 or 3 (the '
                         f'official STD switch), got '
                         f'{embed_temporal_kernel!r}')
    given = [f'{name}={value!r}' for name, value, default in (
        ('embed_temporal_kernel', embed_temporal_kernel, 1),
        ('inflate_mode', inflate_mode, 'average')) if value != default]
    if given and not video:
        raise ValueError(f'{", ".join(given)} only applies to video models: '
                         'set video=True, or drop it for images')


def parse_out_indices(out_indices: Union[int, Sequence[int]],
                      out_norm: str) -> Tuple[int, ...]:
    if isinstance(out_indices, int):
        out_indices = [out_indices]
    indices = []
    for index in out_indices:
        if not -4 <= index < 4:
            raise ValueError(f'out_indices must be in 0..3 (or -4..-1), '
                             f'got {index}')
        indices.append(index % 4)
    if out_norm not in ('LN', 'BN'):
        raise ValueError(
            f"out_norm must be 'LN' or 'BN', got {out_norm!r}")
    if out_norm == 'BN' and indices != [3]:
        raise ValueError("out_norm='BN' is the classification/video "
                         'head norm of the last stage: use '
                         "out_indices=(3,), or out_norm='LN' for "
                         'multi-stage outputs')
    return tuple(indices)


def parse_attn_modes(attn_modes: Union[str, Sequence[str]], video: bool,
                     hourglass: bool) -> Tuple[str, str]:
    if isinstance(attn_modes, str):
        attn_modes = (attn_modes, attn_modes)
    attn_modes = tuple(attn_modes)
    if len(attn_modes) != 2 or not set(attn_modes) <= set(ATTN_MODES):
        raise ValueError(f'attn_modes takes two of {ATTN_MODES} (stages '
                         f'3 and 4), got {attn_modes!r}')
    if video and {'window', 'hybrid'} & set(attn_modes):
        raise ValueError("window/hybrid attention is 2D only; use "
                         "'global' or 'split' with video=True")
    if not video and 'split' in attn_modes:
        raise ValueError("'split' attention needs video=True")
    if hourglass and attn_modes != ('global', 'global'):
        raise ValueError('the hourglass (light) variants use global '
                         f'attention only, got attn_modes={attn_modes}')
    return attn_modes


def parse_with_cp(with_cp: Union[bool, Sequence[int]],
                  depths: Sequence[int]) -> List[int]:
    """Blocks to checkpoint per stage: all (``True``), none, or the first
    ``with_cp[i]`` of stage ``i``."""
    if isinstance(with_cp, bool):
        return list(depths) if with_cp else [0] * 4
    if len(with_cp) != 4 or not all(
            isinstance(n, int) and 0 <= n <= depth
            for n, depth in zip(with_cp, depths)):
        raise ValueError(
            'with_cp takes a bool or 4 block counts, each between 0 and '
            f'the stage depth {depths}, got {with_cp!r}')
    return list(with_cp)
