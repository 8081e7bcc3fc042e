"""MMEngine's ``LoggerHook`` with the test metrics written by one process."""
from mmengine.dist import get_rank
from mmengine.hooks import LoggerHook

from uniformer_mm.registry import HOOKS


@HOOKS.register_module()
class RankZeroLoggerHook(LoggerHook):
    """``LoggerHook`` whose test metrics json is written by rank 0 only.

    MMEngine 0.10.7 dumps ``<log_dir>/<timestamp>.json`` after a test epoch
    on every rank, all to the same file, so a multi-process test can leave
    it garbled (the other ranks' console and file logs are silenced by
    MMLogger anyway). The paper configs set
    ``default_hooks.logger.type='uniformer_mm.RankZeroLoggerHook'``, so
    ``tools/test.py`` and ``mim test`` write the same file.
    """

    def after_test_epoch(self, runner, metrics=None) -> None:
        if get_rank() == 0:
            super().after_test_epoch(runner, metrics)
