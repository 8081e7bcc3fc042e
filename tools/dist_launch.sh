#!/usr/bin/env bash
# torchrun launcher shared by tools/train.sh and tools/test.sh:
#   bash tools/dist_launch.sh NPROC SCRIPT [SCRIPT args]
# Starts NPROC processes per node running tools/SCRIPT. Multi-node: set NNODES,
# NODE_RANK, MASTER_ADDR and PORT. PYTHON selects the interpreter (default: the
# active virtualenv, else the repo's .venv, else python).
set -euo pipefail
NPROC=$1
SCRIPT=$2
shift 2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}

TOOLS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -z "${VIRTUAL_ENV:-}" && -x "$TOOLS/../.venv/bin/python" ]]; then
        PYTHON="$TOOLS/../.venv/bin/python"
    else
        PYTHON=python
    fi
fi

export PYTHONPATH="$TOOLS/..${PYTHONPATH:+:$PYTHONPATH}"
exec "$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$NPROC" \
    --master_port="$PORT" \
    "$TOOLS/$SCRIPT" "$@"
