from .hooks import (BackboneAutocastHook, ClipVisualizationHook,
                    PretrainedHook, RankZeroLoggerHook)

__all__ = [
    'BackboneAutocastHook', 'ClipVisualizationHook', 'PretrainedHook',
    'RankZeroLoggerHook'
]
