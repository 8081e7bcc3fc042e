from .autocast_hook import BackboneAutocastHook
from .clip_visualization_hook import ClipVisualizationHook
from .logger_hook import RankZeroLoggerHook
from .pretrained_hook import PretrainedHook

__all__ = [
    'BackboneAutocastHook', 'ClipVisualizationHook', 'RankZeroLoggerHook',
    'PretrainedHook'
]
