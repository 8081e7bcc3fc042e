#!/usr/bin/env bash
# Set up the environment if needed (tools/install.sh, idempotent), then run
# the whole test suite, slow end-to-end tests included.
#   bash tools/run_tests.sh            # everything
#   bash tools/run_tests.sh -m "not slow"   # extra pytest arguments are passed on
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${UNIFORMER_MM_VENV:-$REPO/.venv}"
bash "$REPO/tools/install.sh"
cd "$REPO"
export PATH="$VENV/bin:$PATH"   # mim and the tools find the venv first
echo "[tests] running pytest (slow end-to-end tests included)"
set +e
"$VENV/bin/python" -m pytest tests -q --durations=15 "$@"
status=$?
set -e
if [[ $status -eq 5 ]]; then
    echo "[tests] pytest collected no tests: treating as a failure" >&2
    exit 1
fi
exit $status
