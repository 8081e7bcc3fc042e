#!/usr/bin/env bash
# The whole demo, from a fresh clone: bash tools/demo.sh [tools/run_demo.py options]
#
#   1. tools/install.sh   sets up .venv (a no-op check when it is ready)
#   2. tools/run_demo.py  writes the tiny demo datasets into data/demo/ if they
#                         are missing, then for classification, detection +
#                         instance segmentation, semantic segmentation, pose and
#                         action recognition: trains a tiny UniFormer a few
#                         hundred iterations on CPU, tests the checkpoint with
#                         the toolbox's metric, saves drawings and prints a
#                         summary table (about 5 minutes on 2 CPU cores).
# Results: work_dirs/demo/<task>/ (logs, checkpoint, test/, vis/) and
# work_dirs/demo/summary.json.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${UNIFORMER_MM_VENV:-$REPO/.venv}"
cd "$REPO"

bash tools/install.sh
printf '\n[demo] training and testing the five demo configs on %s CPU core(s)\n' "$(nproc)"
exec "$VENV/bin/python" tools/run_demo.py "$@"
