#!/usr/bin/env bash
# Distributed training: bash tools/train.sh CONFIG GPUS [tools/train.py args]
#
# Starts GPUS processes per node with torchrun (tools/dist_launch.sh). On a
# machine without CUDA the same command runs GPUS CPU processes that talk over
# gloo (tools/train.py sets that up). Multi-node: set NNODES, NODE_RANK,
# MASTER_ADDR and PORT, e.g.
#   NNODES=2 NODE_RANK=0 MASTER_ADDR=10.0.0.1 PORT=29500 bash tools/train.sh CFG 8
set -euo pipefail
if [[ $# -lt 2 ]]; then
    echo "usage: bash $0 CONFIG GPUS [tools/train.py options]" >&2
    exit 2
fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/dist_launch.sh" "$2" train.py \
    "$1" --launcher pytorch "${@:3}"
