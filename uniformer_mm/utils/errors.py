"""The one error type of uniformer_mm's run checks and tools.

A :class:`FixableError` is a problem its message names together with the
fix: a config, command line, data path or checkpoint that is wrong, a
launcher environment that is incomplete, a run whose result failed its
check. The tools print the message without a traceback and exit with
status 2 (:func:`uniformer_mm.utils.cli.run_tool`); under ``mim train`` /
``mim test`` it is an ordinary exception whose message ends the traceback.
"""

__all__ = ['FixableError']


class FixableError(Exception):
    """A problem the message names, with what to do about it."""
