"""mmpretrain's ImageClassifier with MixToken (token-labeling training)."""
from typing import List

import torch
from mmpretrain.models.classifiers import ImageClassifier

from uniformer_mm.registry import MODELS
from ..heads.token_targets import random_token_box, swap_box


@MODELS.register_module()
class TokenLabelingClassifier(ImageClassifier):
    """ImageClassifier with the MixToken of the official token labeling.

    In training, the tokens of a random box of the stem output
    (``backbone.patch_embed1``, stride 4) are taken from the reversed batch
    (box area ``1 - lam``, ``lam ~ Beta(mix_token_alpha, mix_token_alpha)``,
    every batch, as the official UniFormer TL model); the head gets the box
    on its own token grid (the official integer division by the stem-to-
    last-stage stride) to un-mix the token outputs and mix the image target.
    Evaluation is ImageClassifier's.

    Args:
        mix_token_alpha (float): Beta parameter of MixToken; 0 disables it.
            Defaults to 1.0 (the official ``beta``).
        *args, **kwargs: :class:`ImageClassifier` arguments. The backbone
            needs a ``patch_embed1`` stem (UniFormer), the head a ``loss``
            taking ``mix_box`` (``TokenLabelingClsHead``).
    """

    def __init__(self, *args, mix_token_alpha: float = 1., **kwargs):
        super().__init__(*args, **kwargs)
        if mix_token_alpha < 0:
            raise ValueError('mix_token_alpha must be >= 0 (0 disables '
                             f'MixToken), got {mix_token_alpha}')
        self.mix_token_alpha = mix_token_alpha

    def loss(self, inputs: torch.Tensor, data_samples: List) -> dict:
        if not self.mix_token_alpha:
            return self.head.loss(self.extract_feat(inputs), data_samples)
        stems = []

        def mix_tokens(module, args, output):
            box = random_token_box(*output.shape[-2:], self.mix_token_alpha)
            stems.append((box, output.shape[-2]))
            return swap_box(output, box)

        handle = self.backbone.patch_embed1.register_forward_hook(mix_tokens)
        try:
            feats = self.extract_feat(inputs)
        finally:
            handle.remove()
        (box, stem_height), = stems
        stride = stem_height // feats[-1].shape[-2]
        mix_box = tuple(v // stride for v in box)
        return self.head.loss(feats, data_samples, mix_box=mix_box)
