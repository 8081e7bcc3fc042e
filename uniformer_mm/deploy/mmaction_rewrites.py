"""Video recognizer export that averages each sample's own clips.

MMDeploy 1.3.1's ``BaseRecognizer.forward`` rewrite averages the clip
scores over ``cls_scores.shape[0] // len(data_samples)`` clips: traced with
one sample and exported with a dynamic batch, that is every clip of the
batch, so a batch of N videos gets one averaged score N times. This
rewrite averages over the clips of each sample, ``inputs.shape[1]``
(``(N, num_clips x num_crops, C, T, H, W)`` inputs), as mmaction2 does.
"""
from .rewriting import replace_function_rewriter

FORWARD = 'mmaction.models.recognizers.BaseRecognizer.forward'


def base_recognizer__forward(self, inputs, data_samples=None, mode='tensor',
                             **kwargs):
    """Class scores ``(N, num_classes)``, averaged per sample."""
    feats, predict_kwargs = self.extract_feat(inputs, test_mode=True)
    cls_scores = self.cls_head(feats, **predict_kwargs)
    return self.cls_head.average_clip(cls_scores, num_segs=inputs.shape[1])


def register() -> None:
    replace_function_rewriter(FORWARD, base_recognizer__forward)
