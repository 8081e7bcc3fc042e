"""Shared test set-up.

pytest puts this folder on ``sys.path`` (it holds this conftest), so test
modules in subfolders import the helpers here, e.g.
``crafted_checkpoints``.
"""
# Session fixtures: the generated demo data and one short training per task,
# shared by test_e2e.py and test_deploy_mmdeploy.py.
from demo_runs import demo_dir, trained  # noqa: E402,F401
