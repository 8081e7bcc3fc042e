"""Shared test set-up.

pytest puts this folder on ``sys.path`` (it holds this conftest), so test
modules in subfolders import the helpers here, e.g.
``crafted_checkpoints``.
"""
