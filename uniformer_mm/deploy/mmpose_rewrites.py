"""Top-down pose export that keeps the model's flip test.

MMDeploy 1.3.1 exports ``BasePoseEstimator.forward`` as ``self._forward``:
the heatmaps of the image alone, whatever the model's ``test_cfg`` says. The
UniFormer pose configs test with ``flip_test=True`` (heatmap flip, shifted),
so ONNX Runtime keypoints would differ from PyTorch's. This rewrite puts the
flip test into the graph for heatmap heads, as ``HeatmapHead.predict`` does
it (flip indices from the data samples' ``flip_indices``, constant per
dataset); other heads keep MMDeploy's behaviour.
"""

from .rewriting import replace_function_rewriter

FORWARD = 'mmpose.models.pose_estimators.base.BasePoseEstimator.forward'


def base_pose_estimator__forward(self, inputs, data_samples=None, *args,
                                 **kwargs):
    """Heatmaps of ``inputs``, averaged with the flipped image's heatmaps
    when the model tests with flip (heatmap heads)."""
    from mmpose.models.heads import HeatmapHead
    from mmpose.models.utils.tta import flip_heatmaps
    test_cfg = self.test_cfg or {}
    flip_indices = None
    if data_samples:
        flip_indices = data_samples[0].metainfo.get('flip_indices')
    if (not test_cfg.get('flip_test', False)
            or not isinstance(self.head, HeatmapHead)
            or flip_indices is None):
        return self._forward(inputs)
    heatmaps = self.head.forward(self.extract_feat(inputs))
    flipped = flip_heatmaps(
        self.head.forward(self.extract_feat(inputs.flip(-1))),
        flip_mode=test_cfg.get('flip_mode', 'heatmap'),
        flip_indices=flip_indices,
        shift_heatmap=test_cfg.get('shift_heatmap', False))
    return (heatmaps + flipped) * 0.5


def register() -> None:
    replace_function_rewriter(FORWARD, base_pose_estimator__forward)


__all__ = ['register']
