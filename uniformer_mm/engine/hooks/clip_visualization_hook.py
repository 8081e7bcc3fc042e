"""Draw video clips with their label and prediction (mmaction2 test/val).

mmaction2 1.2's ``VisualizationHook`` cannot draw ``NCTHW`` inputs (it
permutes a 5-D tensor as 4-D) and its ``ActionVisualizer`` looks for
``gt_labels`` / ``pred_labels``, which 1.2's data samples do not have. This
hook takes the same arguments, so the action configs use it as
``default_hooks.visualization`` and both ``tools/test.py --show-dir`` and
``mim test mmaction2 ... --show-dir`` (mmaction2's own test script) draw.
"""
import os
import os.path as osp
from typing import Optional

import cv2
import numpy as np
from mmengine.hooks import Hook

from uniformer_mm.registry import HOOKS


@HOOKS.register_module()
class ClipVisualizationHook(Hook):
    """Save each clip's frames side by side, titled ``gt`` and ``pred``.

    Args:
        enable (bool): Draw at all. Defaults to False.
        interval (int): Draw every n-th sample. Defaults to 1.
        out_dir (str, optional): Folder of the PNGs (one per drawn sample,
            named after its video); needed when ``enable``.
        **kwargs: Other arguments of mmaction2's ``VisualizationHook``
            (``show``, ``wait_time``), accepted and unused.
    """
    priority = 'NORMAL'

    def __init__(self,
                 enable: bool = False,
                 interval: int = 1,
                 out_dir: Optional[str] = None,
                 **kwargs):
        self.enable = enable
        self.interval = interval
        self.out_dir = out_dir
        self._count = 0

    def after_val_iter(self, runner, batch_idx, data_batch=None,
                       outputs=None) -> None:
        self._draw(runner.val_dataloader, data_batch, outputs)

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        self._draw(runner.test_dataloader, data_batch, outputs)

    def _draw(self, dataloader, data_batch, outputs) -> None:
        if not self.enable:
            return
        if not self.out_dir:
            raise ValueError('ClipVisualizationHook(enable=True) needs '
                             'out_dir (tools/test.py --show-dir DIR)')
        classes = (dataloader.dataset.metainfo or {}).get('classes')
        os.makedirs(self.out_dir, exist_ok=True)
        for video, sample in zip(data_batch['inputs'], outputs):
            self._count += 1
            if (self._count - 1) % self.interval:
                continue
            name = osp.basename(
                sample.get('filename', '') or sample.get('frame_dir', '')
                or f'{self._count:05d}')
            cv2.imwrite(osp.join(self.out_dir, f'{name}.png'),
                        self._canvas(video, sample, classes))

    @staticmethod
    def _canvas(video, sample, classes) -> np.ndarray:
        """The first clip of ``video`` ``(..., C, T, H, W)`` (or ``(T, C,
        H, W)``) as one BGR strip with a title line."""
        clip = video.reshape(-1, *video.shape[-4:])[0]  # C, T, H, W
        if clip.shape[0] != 3:  # (T, C, H, W) input
            clip = clip.transpose(0, 1)
        frames = clip.permute(1, 2, 3, 0).cpu().numpy()
        strip = np.concatenate(list(frames), axis=1)
        strip = np.ascontiguousarray(
            strip.clip(0, 255).astype(np.uint8)[..., ::-1])
        gt = int(sample.gt_label.reshape(-1)[0])
        score = sample.pred_score.reshape(-1)
        pred = int(score.argmax())

        def label(i):
            return classes[i] if classes else str(i)

        text = (f'gt: {label(gt)}  pred: {label(pred)} '
                f'({float(score[pred]):.2f})')
        canvas = np.concatenate(
            [np.zeros((22, strip.shape[1], 3), np.uint8), strip], axis=0)
        colour = (0, 255, 0) if gt == pred else (0, 0, 255)
        cv2.putText(canvas, text, (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                    colour, 1, cv2.LINE_AA)
        return canvas
