"""Drawing helpers the visualization tools share."""
import numpy as np

#: pixels of the white caption bar above a captioned picture
CAPTION_HEIGHT = 16


def labelled(tile: np.ndarray, text: str, min_width: int = 0) -> np.ndarray:
    """``tile`` ``(h, w, 3)`` BGR uint8 under a white caption bar with
    ``text``: ``(CAPTION_HEIGHT + h, max(w, min_width), 3)``, the tile padded
    white on the right to ``min_width``."""
    import cv2
    width = max(tile.shape[1], min_width)
    bar = np.full((CAPTION_HEIGHT, width, 3), 255, np.uint8)
    cv2.putText(bar, text, (2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4,
                (0, 0, 0), 1, cv2.LINE_AA)
    body = np.full((tile.shape[0], width, 3), 255, np.uint8)
    body[:, :tile.shape[1]] = tile
    return np.concatenate([bar, body], axis=0)
