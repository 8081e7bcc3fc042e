"""Shared test set-up.

The tests mirror the package: ``test_models/`` (backbone, blocks, heads,
registry), ``test_weights/``, ``test_datasets/``, ``test_engine/`` (hooks,
optimizer constructors, runners, distributed runs), ``test_configs/``,
``test_tools/`` (the command lines, end to end on the demo data) and
``test_install/`` (environment and packaging).

pytest puts this folder on ``sys.path`` (it holds this conftest), so test
modules in subfolders import the helpers here: ``helpers`` (paths, config
loading, model building, subprocess runs, the golden cases),
``crafted_checkpoints`` and ``loopback_server``.
"""
