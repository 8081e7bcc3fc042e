#!/usr/bin/env bash
# Distributed testing: bash tools/test.sh CONFIG CHECKPOINT GPUS [tools/test.py args]
#
# Starts GPUS processes per node with torchrun (tools/dist_launch.sh). On a
# machine without CUDA the same command runs GPUS CPU processes that talk over
# gloo (tools/test.py sets that up). Multi-node: set NNODES, NODE_RANK,
# MASTER_ADDR and PORT.
set -euo pipefail
if [[ $# -lt 3 ]]; then
    echo "usage: bash $0 CONFIG CHECKPOINT GPUS [tools/test.py options]" >&2
    exit 2
fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/dist_launch.sh" "$3" test.py \
    "$1" "$2" --launcher pytorch "${@:4}"
