"""UniFormer backbone for images and videos, every released variant."""
import copy
import warnings
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.utils.checkpoint as cp
from mmengine.model import BaseModule
from mmengine.model.weight_init import initialize
from torch.nn.modules.batchnorm import _BatchNorm

from uniformer_mm.registry import MODELS
from uniformer_mm.weights.fitting import fit_backbone_state, log_load_report
from uniformer_mm.weights.loading import load_backbone_checkpoint
from uniformer_mm.weights.pretrained import (choose_checkpoint,
                                             pretrained_entry)
from ..layers import (ConvDownsample, ConvStem, GlobalBlock, HourglassBlock,
                      LocalBlock, PatchEmbed)
from ..layers.blocks import LN_EPS, batch_norm
from .uniformer_arch import (ARCH_ZOO, check_video_arguments, named_archs,
                             parse_arch, parse_attn_modes, parse_out_indices,
                             parse_with_cp)


@MODELS.register_module()
class UniFormer(BaseModule):
    """UniFormer: Unifying Convolution and Self-attention for Visual
    Recognition.

    A PyTorch implementation of `UniFormer <https://arxiv.org/abs/2201.09450>`_
    (ICLR 2022 / TPAMI 2023) for images (``video=False``, NCHW) and videos
    (``video=True``, NCTHW). Stages 1-2 use local relation aggregation
    (depthwise convolution), stages 3-4 global self-attention; stage 3 can use
    window or hybrid attention for dense prediction. The light variants (XXS,
    XS) add the hourglass token shrinking/recovering of stages 3-4.

    Modified from the official code (Sense-X/UniFormer) and mmaction2's port;
    module names mirror the official checkpoints, which load unchanged through
    ``init_cfg=dict(type='Pretrained', checkpoint=PATH)``.

    Args:
        arch (str | dict): a name from :attr:`arch_zoo` (see
            :mod:`.uniformer_arch`) or a dict with keys:

            - **depths** (list[int]): blocks per stage.
            - **embed_dims** (list[int]): channels per stage.
            - **head_dim** (int): channels per attention head.
            - **mlp_ratio** (float): MLP hidden ratio.
            - **conv_stem** (bool, optional): overlapping conv stem (S+,
              light). Defaults to False.
            - **conv_downsample** (bool, optional): overlapping conv
              downsampling between stages (S+). Defaults to False.
            - **layer_scale_stages** (list[int], optional): stages whose
              blocks have layer scale (B-ls: [2, 3], L: all). Defaults to [].
            - **token_keep_ratio** (float, optional): hourglass token keep
              ratio of stages 3-4 (light models); None disables it.
            - **token_trade_off** (float, optional): weight of each block's
              class attention in the running token score. Defaults to 0.5.
            - **merged_token_scale** (str, optional): light archs with layer
              scale: ``'gamma_3'`` (image light models) or ``'branch'``
              (video light models, ``xxs-ls`` / ``xs-ls``); see
              :class:`~uniformer_mm.models.layers.HourglassBlock`. Defaults
              to ``'gamma_3'``.

        in_channels (int): Input channels. Defaults to 3.
        video (bool): 3D convolutions and spatio-temporal attention.
            Defaults to False.
        out_indices (Sequence[int]): Stages to output. Defaults to (3, ).
        out_norm (str): ``'LN'``: a LayerNorm ``norm{i+1}`` on each output
            (official dense-prediction models); ``'BN'``: one BatchNorm
            ``norm`` on the last stage (official classification and video
            models; needs ``out_indices=(3,)``). Defaults to ``'LN'``.
        attn_modes (Sequence[str] | str): attention of stages 3 and 4, each
            ``'global'``, ``'window'``, ``'hybrid'`` (window, every 4th block
            global; 2D) or ``'split'`` (temporal then spatial; 3D). Defaults
            to ``('global', 'global')``.
        window_size (int): Window of ``'window'``/``'hybrid'``. Defaults to 14.
        drop_path_rate (float): Stochastic depth, linear over all blocks.
            Defaults to 0.
        layer_scale_init_value (float): Layer scale init. Defaults to 1e-6.
        embed_temporal_kernel (int): Video only: temporal kernel of the
            stage 2-4 patch embeddings; 3 is the official ``STD`` switch.
            Defaults to 1.
        inflate_mode (str): Video only: how 2D weights are inflated on any
            load (``init_cfg``, ``load_state_dict``, ``load_from``),
            ``'average'`` (official) or ``'center'``. Defaults to 'average'.
        norm_cfg (dict): Batch norm of the local blocks and conv stems
            (``BN`` becomes ``BN3d`` for video). Defaults to
            ``dict(type='BN')``.
        frozen_stages (int): -1 freezes nothing, 0 the stem (patch_embed1),
            k (1..4) the stem and stages 1..k. Defaults to -1.
        norm_eval (bool): Keep batch norms in eval mode in training.
            Defaults to False.
        with_cp (bool | Sequence[int]): Gradient checkpointing of all blocks,
            or of the first n blocks of each stage. Defaults to False.
        out_cls_token (bool): Light (hourglass) archs only: append the final
            class token ``(B, C_4)`` to the outputs (always a tuple then),
            for the training-only class-token classifier of the official
            light models (:class:`HourglassClsHead`,
            :class:`HourglassI3DHead`). Defaults to False.
        attn_fp32 (bool): Run ``softmax(q k^T) v`` of every attention in
            float32 under autocast (for float16, whose range large attention
            logits overflow); the projections keep the autocast dtype.
            Defaults to False.
        channels_last (bool, optional): Feed the input to the stem in
            channels-last layout (:attr:`channels_last_format`): the
            convolutions of the stages then run channels-last (the
            LayerNorm patch embeddings give channels-last maps anyway); the
            outputs keep the input's layout. None: images on CPU, where
            mkldnn's channels-last convolutions skip the blocked-layout
            reorders of the conv-stem models' stages 1-2 (eval forward on a
            2-core Xeon: XXS 1.24x, XS 1.10x, S 0.98x, video S and XXS
            0.98x-1.0x, hence not videos; see
            ``docs/speed_and_deployment.md``). Defaults to None.
        init_cfg (dict | list[dict], optional): MMEngine initialisation;
            None means :attr:`default_init_cfg` (the official init). A
            ``dict(type='Pretrained', checkpoint=PATH, prefix=None)`` entry
            loads any official or OpenMMLab checkpoint after the other
            entries (or the default init) are applied (see
            :func:`load_backbone_checkpoint`); without ``checkpoint`` the
            config's top-level ``pretrained`` fills it in a training run
            (:class:`uniformer_mm.PretrainedHook`). Defaults to None.

    Example:
        >>> import torch
        >>> from uniformer_mm.models import UniFormer
        >>> model = UniFormer(arch='s', out_indices=(0, 1, 2, 3),
        ...                   attn_modes=('hybrid', 'global'))
        >>> for out in model(torch.rand(1, 3, 224, 224)):
        ...     print(out.shape)
        torch.Size([1, 64, 56, 56])
        torch.Size([1, 128, 28, 28])
        torch.Size([1, 320, 14, 14])
        torch.Size([1, 512, 7, 7])
        >>> video = UniFormer(arch='s', video=True, out_norm='BN')
        >>> print(video(torch.rand(1, 3, 8, 224, 224)).shape)
        torch.Size([1, 512, 4, 7, 7])

    Fast inference (see ``docs/speed_and_deployment.md``): :meth:`fuse`
    folds the eval-mode norms and layer scales into the layers next to them;
    channels-last inputs (``memory_format=model.channels_last_format``) give
    channels-last outputs with no layout copies; ``torch.compile(model,
    fullgraph=True)`` and autocast (``attn_fp32`` for float16) work on every
    variant.
    """
    #: Every released variant by name (aliases share one dict).
    arch_zoo = ARCH_ZOO
    #: The official initialisation: truncated normal (std 0.02) Linear
    #: weights and zero biases, unit LayerNorms, and split blocks that start
    #: as a pure spatial model.
    default_init_cfg = [
        dict(type='TruncNormal', layer='Linear', std=.02, bias=0.),
        dict(type='Constant', layer='LayerNorm', val=1., bias=0.),
        dict(type='uniformer_mm.SplitAttentionInit'),
    ]

    def __init__(self,
                 arch: Union[str, dict] = 's',
                 in_channels: int = 3,
                 video: bool = False,
                 out_indices: Sequence[int] = (3, ),
                 out_norm: str = 'LN',
                 attn_modes: Union[str, Sequence[str]] = ('global', 'global'),
                 window_size: int = 14,
                 drop_path_rate: float = 0.,
                 layer_scale_init_value: float = 1e-6,
                 embed_temporal_kernel: int = 1,
                 inflate_mode: str = 'average',
                 norm_cfg: dict = dict(type='BN'),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 with_cp: Union[bool, Sequence[int]] = False,
                 out_cls_token: bool = False,
                 attn_fp32: bool = False,
                 channels_last: Optional[bool] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None):
        super().__init__(init_cfg=copy.deepcopy(
            self.default_init_cfg if init_cfg is None else init_cfg))
        self.arch = parse_arch(arch)
        self.video = video
        check_video_arguments(video, embed_temporal_kernel, inflate_mode)
        if not isinstance(in_channels, int) or in_channels < 1:
            raise ValueError('in_channels must be a positive int, got '
                             f'{in_channels!r}')
        self.in_channels = in_channels
        self.depths = self.arch['depths']
        self.embed_dims = self.arch['embed_dims']
        self.hourglass = self.arch['token_keep_ratio'] is not None
        self.out_indices = parse_out_indices(out_indices, out_norm)
        self.out_norm = out_norm
        self.attn_modes = parse_attn_modes(attn_modes, video, self.hourglass)
        if not isinstance(window_size, int) or window_size < 1:
            raise ValueError(f'window_size must be a positive int, got '
                             f'{window_size!r}')
        self.window_size = window_size
        if not 0 <= drop_path_rate < 1:
            raise ValueError('drop_path_rate must be in [0, 1), got '
                             f'{drop_path_rate!r}')
        self.inflate_mode = inflate_mode
        if frozen_stages not in range(-1, 5):
            raise ValueError(
                f'frozen_stages must be -1 (nothing), 0 (the stem) or 1..4 '
                f'(the stem and stages 1..k), got {frozen_stages!r}')
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.checkpointed_blocks = parse_with_cp(with_cp, self.depths)
        if out_cls_token and not self.hourglass:
            raise ValueError(
                'out_cls_token=True needs a light (hourglass) arch with a '
                'class token (xxs, xs, or token_keep_ratio set); this arch '
                'has none')
        self.out_cls_token = out_cls_token
        self.attn_fp32 = attn_fp32
        if channels_last not in (None, True, False):
            raise ValueError(f'channels_last must be None (auto), True or '
                             f'False, got {channels_last!r}')
        self.channels_last = channels_last
        self.fused = False

        dims, conv_stem = self.embed_dims, self.arch['conv_stem']
        for i in range(4):
            if i == 0 and conv_stem:
                embed = ConvStem(in_channels, dims[0], norm_cfg, video)
            elif i == 0:
                embed = PatchEmbed(in_channels, dims[0], 4, video, 3, 2)
            elif self.arch['conv_downsample']:
                embed = ConvDownsample(dims[i - 1], dims[i], norm_cfg, video)
            else:
                embed = PatchEmbed(dims[i - 1], dims[i], 2, video,
                                   embed_temporal_kernel)
            self.add_module(f'patch_embed{i + 1}', embed)
        if self.hourglass:
            self.cls_token = nn.Parameter(torch.zeros(1, 1, dims[2]))
            self.cls_upsample = nn.Linear(dims[2], dims[3])

        drop_path = torch.linspace(0, drop_path_rate, sum(self.depths))
        ls_init = {
            i: layer_scale_init_value
            for i in self.arch['layer_scale_stages']
        }
        for i, depth in enumerate(self.depths):
            first = sum(self.depths[:i])
            blocks = nn.ModuleList([
                self._make_block(i, j, drop_path[first + j].item(),
                                 ls_init.get(i), norm_cfg)
                for j in range(depth)
            ])
            self.add_module(f'blocks{i + 1}', blocks)

        if out_norm == 'BN':
            self.norm = batch_norm(norm_cfg, dims[3], video)
        else:
            for i in self.out_indices:
                self.add_module(f'norm{i + 1}',
                                nn.LayerNorm(dims[i], eps=LN_EPS))
        self._freeze_stages()
        self.register_load_state_dict_pre_hook(self._fit_loaded_state)

    # ----------------------------------------------------------- building
    def _make_block(self, stage, index, drop_path, ls_init, norm_cfg):
        dim, arch = self.embed_dims[stage], self.arch
        if stage < 2:
            return LocalBlock(dim, arch['mlp_ratio'], drop_path, ls_init,
                              norm_cfg, self.video)
        num_heads = dim // arch['head_dim']
        if self.hourglass:
            first, last = stage == 2 and index == 0, \
                stage == 2 and index == self.depths[2] - 1
            return HourglassBlock(
                dim, num_heads, arch['mlp_ratio'], drop_path, ls_init,
                keep_ratio=1. if first else arch['token_keep_ratio'],
                trade_off=1. if first else arch['token_trade_off'],
                downsample_scores=last,
                merged_token_scale=arch['merged_token_scale'],
                video=self.video,
                attn_fp32=self.attn_fp32)
        mode = self.attn_modes[stage - 2]
        if mode == 'hybrid':
            mode = 'global' if (index + 1) % 4 == 0 else 'window'
        return GlobalBlock(dim, num_heads, arch['mlp_ratio'], drop_path,
                           ls_init, mode, self.window_size, self.video,
                           self.attn_fp32)

    # ----------------------------------------------------------- weights
    def init_weights(self) -> None:
        """Initialise from ``init_cfg`` as MMEngine's ``BaseModule`` does.

        A ``Pretrained`` entry (a file or URL) is loaded by
        :func:`~uniformer_mm.weights.loading.load_backbone_checkpoint`
        (every release container, 2D -> 3D inflation, a report of each key,
        other variants refused) after the other entries, or the official
        :attr:`default_init_cfg` if there are none, have been applied.
        """
        pretrained = pretrained_entry(self.init_cfg)
        if pretrained is None:
            super().init_weights()
            return
        checkpoint, _ = choose_checkpoint(self.init_cfg, None, 'backbone')
        entries = self.init_cfg if isinstance(self.init_cfg, list) else [
            self.init_cfg
        ]
        initialize(self, [e for e in entries if e is not pretrained]
                   or copy.deepcopy(self.default_init_cfg))
        load_backbone_checkpoint(self, checkpoint, pretrained.get('prefix'))
        self._is_init = True

    def _fit_loaded_state(self, module, state_dict, prefix, *args) -> None:
        """Load-state-dict pre-hook, on every load path: inflate 2D weights
        in place, refuse another variant's weights, report the keys."""
        if self.fused:
            raise RuntimeError(
                'this UniFormer was fused for inference (fuse()) and no '
                'longer has the norms of a checkpoint: load the weights '
                'into an unfused model, then call fuse()')
        if self._sharded():
            return  # FSDP loads the full state dict of its shards itself
        own = {k: v.shape for k, v in self.state_dict().items()}
        mine = {k[len(prefix):]: v for k, v in state_dict.items()
                if k.startswith(prefix)}
        if not any(k in own for k in mine):
            return  # this load is not for the backbone
        fitted, report = fit_backbone_state(own, mine, self.inflate_mode,
                                            named_archs())
        for key in report['inflated']:
            state_dict[prefix + key] = fitted[key]
        log_load_report(report, self.inflate_mode)

    def _sharded(self) -> bool:
        """Whether FSDP wraps blocks of this backbone: their state-dict keys
        and shapes are then FSDP's, not the backbone's."""
        from torch.distributed.fsdp import FullyShardedDataParallel
        return any(isinstance(m, FullyShardedDataParallel)
                   for m in self.modules())

    # ----------------------------------------------------------- inference
    @property
    def channels_last_format(self) -> torch.memory_format:
        """``torch.channels_last`` (images) or ``channels_last_3d``
        (videos): pass it to ``model.to(memory_format=...)`` and to the
        input's ``.to(memory_format=...)``."""
        return torch.channels_last_3d if self.video else torch.channels_last

    @torch.no_grad()
    def fuse(self) -> 'UniFormer':
        """Fold the model for inference, in place; returns ``self``.

        Every batch norm next to a convolution is folded into it (local
        blocks: ``norm1`` -> ``conv1``, ``norm2`` -> ``mlp.fc1``; the conv
        stem and conv downsampling), layer scales into the layers before
        them, and each block's ``x + pos_embed(x)`` into the
        depthwise conv. The outputs equal the unfused model's up to float32
        rounding. Load weights first: a fused model refuses checkpoints and
        training (``train()``). Calling it twice is a no-op.
        """
        if self.training:
            raise RuntimeError(
                'UniFormer.fuse() folds the batch-norm running statistics, '
                'which training would update: call model.eval() first')
        if self.fused:
            return self
        for module in list(self.modules()):
            if module is not self and hasattr(module, 'fuse'):
                module.fuse()
        self.fused = True
        return self

    # ----------------------------------------------------------- forward
    def forward(self, x: torch.Tensor):
        """Images ``(B, C, H, W)`` -> tuple of ``(B, C_i, H_i, W_i)``;
        videos ``(B, C, T, H, W)`` -> ``(B, C_i, T_i, H_i, W_i)``, a bare
        tensor when one stage is requested. With ``out_cls_token`` the class
        token ``(B, C_4)`` follows the stage outputs. A channels-last input
        (:attr:`channels_last_format`) gives channels-last outputs."""
        self._check_input(x)
        layout = self.channels_last_format if x.is_contiguous(
            memory_format=self.channels_last_format
        ) else torch.contiguous_format
        if self._runs_channels_last(x):
            x = x.contiguous(memory_format=self.channels_last_format)
        outs, carry = [], ()
        for i in range(4):
            x = getattr(self, f'patch_embed{i + 1}')(x)
            if i == 2 and not torch.compiler.is_compiling():
                self._warn_large_window(x)
            x, carry = self._forward_stage(i, x, carry)
            if i in self.out_indices:
                outs.append(self._normalize_output(i, x, layout))
        if self.out_cls_token:
            return (*outs, carry[0].squeeze(1))
        if self.video and len(outs) == 1:
            return outs[0]
        return tuple(outs)

    def _runs_channels_last(self, x: torch.Tensor) -> bool:
        """Whether the stages run channels-last (``channels_last``; None:
        images on CPU)."""
        if self.channels_last is None:
            return not self.video and x.device.type == 'cpu'
        return self.channels_last

    def _forward_stage(self, stage: int, x: torch.Tensor,
                       carry: tuple) -> Tuple[torch.Tensor, tuple]:
        """Run the blocks of ``stage`` (0-based) on its map ``x``.

        ``carry`` is what the hourglass stages 3-4 pass from block to block
        besides the map: ``(cls_token (B, 1, C), scores (B, N) or None)``;
        empty for the other stages and archs. The class token enters at
        stage 3 and is projected to the stage-4 width at stage 4.
        """
        if self.hourglass and stage == 2:
            carry = (self.cls_token.expand(x.shape[0], -1, -1), None)
        elif self.hourglass and stage == 3:
            carry = (self.cls_upsample(carry[0]), carry[1])
        for j, block in enumerate(getattr(self, f'blocks{stage + 1}')):
            if j < self.checkpointed_blocks[stage] and x.requires_grad:
                result = cp.checkpoint(block, x, *carry, use_reentrant=False)
            else:
                result = block(x, *carry)
            x, carry = (result[0], result[1:]) if carry else (result, ())
        return x, carry

    def _normalize_output(self, stage: int, x: torch.Tensor,
                          layout: torch.memory_format) -> torch.Tensor:
        if self.out_norm == 'BN':
            return self.norm(x).contiguous(memory_format=layout)
        norm = getattr(self, f'norm{stage + 1}')
        # Explicit last dim: the TorchScript ONNX exporter writes movedim(1,
        # -1) as a Transpose with a negative perm, which ONNX Runtime refuses.
        last = x.dim() - 1
        return norm(x.movedim(1, last)).movedim(last, 1).contiguous(
            memory_format=layout)

    def _check_input(self, x: torch.Tensor) -> None:
        expected = 5 if self.video else 4
        if x.dim() != expected:
            layout = '(B, C, T, H, W)' if self.video else '(B, C, H, W)'
            raise ValueError(
                f'UniFormer(video={self.video}) expects {layout} input, got '
                f'shape {tuple(x.shape)}; set video={not self.video} for '
                f'{x.dim()}D input' if x.dim() in (4, 5) else
                f'UniFormer expects {layout} input, got {tuple(x.shape)}')
        if x.shape[1] != self.in_channels:
            raise ValueError(f'input has {x.shape[1]} channels, the model '
                             f'was built with in_channels={self.in_channels}')
        if min(x.shape[-2:]) < 32:
            raise ValueError(f'input {tuple(x.shape[-2:])} is too small: '
                             'UniFormer downsamples by 32, so H and W must '
                             'be at least 32')

    def _warn_large_window(self, x: torch.Tensor) -> None:
        """Warn that windows larger than a stage map are zero-padded (as the
        official code computes them: zero tokens after the norm); ``x`` is
        the stage-3 map ``(B, C, H, W)``. Python's warning filter shows it
        once per map size."""
        larger = [self.attn_modes[k] in ('window', 'hybrid') and
                  self.window_size > max(x.shape[-2:]) // 2**k
                  for k in (0, 1)]  # stage 3, stage 4 (half the map)
        if any(larger):
            warnings.warn(
                f'UniFormer: window_size {self.window_size} is larger than '
                f'the stage map (stage 3: {tuple(x.shape[-2:])}); the '
                'windows are zero-padded as in the official code',
                stacklevel=3)

    # ----------------------------------------------------------- training
    def _stage_modules(self, stage: int):
        """Modules of stage ``stage`` (1-based; 0 is the stem): its patch
        embedding, blocks and output norm; the class token of the light
        models enters at stage 3 and is projected at stage 4."""
        if stage == 0:
            return [self.patch_embed1]
        modules = [getattr(self, f'blocks{stage}')]
        if stage > 1:
            modules.append(getattr(self, f'patch_embed{stage}'))
        if hasattr(self, f'norm{stage}'):
            modules.append(getattr(self, f'norm{stage}'))
        if stage == 4 and self.out_norm == 'BN':
            modules.append(self.norm)
        if stage == 4 and self.hourglass:
            modules.append(self.cls_upsample)
        return modules

    def _freeze_stages(self) -> None:
        if self.hourglass and self.frozen_stages >= 3:
            self.cls_token.requires_grad = False
        for stage in range(self.frozen_stages + 1):
            for module in self._stage_modules(stage):
                module.eval()
                for param in module.parameters():
                    param.requires_grad = False

    def train(self, mode: bool = True):
        if mode and self.fused:
            raise RuntimeError(
                'this UniFormer was fused for inference (fuse()): its batch '
                'norms are folded away, so it cannot be trained; build and '
                'load an unfused model to train')
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self

    def get_layer_depth(self, param_name: str, prefix: str = ''):
        """Layer id of a parameter for layer-wise learning-rate decay.

        Returns ``(layer_id, num_layers)`` as mmpretrain's
        ``LearningRateDecayOptimWrapperConstructor`` expects: the stem is
        layer 0, block ``j`` of stage ``i`` is ``sum(depths[:i]) + j + 1``
        (a stage's patch embedding shares its first block's id), output
        norms and everything outside the backbone are the last layer.
        """
        num_layers = sum(self.depths) + 2
        if not param_name.startswith(prefix):
            return num_layers - 1, num_layers
        name = param_name[len(prefix):]
        if name.startswith(('patch_embed1.', 'cls_token')):
            return 0, num_layers
        for stage in range(4):
            first = sum(self.depths[:stage]) + 1
            if name.startswith(f'blocks{stage + 1}.'):
                return first + int(name.split('.')[1]), num_layers
            if name.startswith(f'patch_embed{stage + 1}.'):
                return first, num_layers
        if name.startswith('cls_upsample.'):
            return sum(self.depths[:3]) + 1, num_layers
        return num_layers - 1, num_layers


def fuse_uniformer(model: nn.Module) -> nn.Module:
    """:meth:`UniFormer.fuse` every UniFormer inside ``model`` (a backbone,
    classifier, detector, ...) in eval mode; returns ``model``. Raises if
    ``model`` holds no UniFormer."""
    backbones = [m for m in model.modules() if isinstance(m, UniFormer)]
    if not backbones:
        raise ValueError(f'{type(model).__name__} holds no UniFormer to fuse')
    for backbone in backbones:
        backbone.fuse()
    return model
