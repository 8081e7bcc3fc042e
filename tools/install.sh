#!/usr/bin/env bash
# Set up (or verify) the uniformer_mm environment on a fresh machine.
#
#   bash tools/install.sh            # creates .venv/ next to the repo, installs everything
#   UNIFORMER_MM_VENV=/path bash tools/install.sh   # use another virtualenv location
#
# What it does, in the order that works for torch 2.14 (details: README "Installation"):
#   1. virtualenv + build tools (setuptools<81 keeps pkg_resources for mmcv/mim)
#   2. torch 2.14.1 + torchvision 0.29.1
#   3. mmcv 2.1.0 with ops, built from the PyPI sdist with -std=c++20 (torch 2.14 headers
#      need it); the wheel is cached in $UNIFORMER_MM_CACHE (default ~/.cache/uniformer_mm)
#      so it is built once per machine
#   4. chumpy (needs --no-build-isolation), the five toolboxes, ftfy/regex for mmseg,
#      xtcocotools rebuilt from source (its wheel breaks under numpy 2)
#   5. openmim, then setuptools re-pinned (openmim's chain downgrades it);
#      DeepSpeed and MMDeploy into $VENV/extras/{deepspeed,mmdeploy} (off the default
#      import path; uniformer_mm.deploy finds MMDeploy there and repairs it at run time)
#   6. the mmaction2 1.2.0 wheel gap (missing localizers/drn, upstream #2714) repaired
#   7. pytest, onnx / onnxscript / onnxruntime (deployment), grad-cam (visualization),
#      uniformer_mm itself, editable
# A second run on a ready environment only verifies the imports and exits.
set -Eeuo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${UNIFORMER_MM_VENV:-$REPO/.venv}"
CACHE="${UNIFORMER_MM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uniformer_mm}"
PYTHON_BIN="${PYTHON:-python3.11}"
MMCV_VERSION=2.1.0
TORCH_VERSION=2.14.1
STAMP="$VENV/.uniformer_mm_install_stamp"

CURRENT_STEP="start"
START_TIME=$SECONDS
step() {
    CURRENT_STEP="$1"
    printf '\n[install %4ds] %s\n' "$((SECONDS - START_TIME))" "$1"
}
on_error() {
    printf '\n[install] FAILED at step: %s\n' "$CURRENT_STEP" >&2
    printf '[install] Fix the error above and re-run: bash tools/install.sh\n' >&2
}
trap on_error ERR

SMOKE_IMPORTS='import uniformer_mm, onnxruntime, onnxscript, pytorch_grad_cam, mmcv.ops, mmpretrain.models, mmdet.models, mmseg.models, mmpose.models, mmaction.models'
# Finds $VENV/extras/mmdeploy itself and applies the torch 2.14 repairs
# (uniformer_mm/deploy/mmdeploy_compat.py: idempotent, at run time).
MMDEPLOY_IMPORT='from uniformer_mm.deploy import import_mmdeploy; import_mmdeploy(); from mmdeploy.apis import torch2onnx, build_task_processor'
DEEPSPEED_IMPORT='import deepspeed; from mmengine._strategy.deepspeed import register_deepspeed_optimizers; register_deepspeed_optimizers()'

# Everything that decides what gets installed; a change re-runs the install.
stamp_value() {
    cat "$REPO"/requirements/*.txt "$REPO/tools/install.sh" "$REPO/tools/misc/repair_mmaction2.py" \
        "$REPO/setup.cfg" | sha256sum | cut -d' ' -f1
}

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$(stamp_value)" ]]; then
    step "checking the existing environment in $VENV"
    if "$VENV/bin/python" -W ignore -c "$SMOKE_IMPORTS" 2>/dev/null \
            && (cd "$REPO" && "$VENV/bin/python" -W ignore -c "$MMDEPLOY_IMPORT") >/dev/null 2>&1; then
        printf '[install] environment ready, nothing to do (%ds)\n' "$((SECONDS - START_TIME))"
        exit 0
    fi
    echo "[install] the environment is stamped but imports fail; reinstalling"
fi

step "virtualenv at $VENV"
if [[ ! -x "$VENV/bin/python" ]]; then
    command -v "$PYTHON_BIN" >/dev/null || { echo "[install] $PYTHON_BIN not found; set PYTHON=..." >&2; exit 1; }
    "$PYTHON_BIN" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

step "build tools (setuptools<81, wheel, ninja, psutil, cython)"
"${PIP[@]}" install -q -r "$REPO/requirements/build.txt"

step "torch $TORCH_VERSION + torchvision (from local disk, ~1 min)"
"${PIP[@]}" install -q -r "$REPO/requirements/torch.txt"

PY_TAG="$("$PY" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
WHEEL_DIR="$CACHE/wheels/mmcv-$MMCV_VERSION-torch$TORCH_VERSION-$PY_TAG"
MMCV_WHEEL="$(ls "$WHEEL_DIR"/mmcv-"$MMCV_VERSION"-*.whl 2>/dev/null | head -n1 || true)"
if [[ -z "$MMCV_WHEEL" ]]; then
    step "building mmcv $MMCV_VERSION with ops from source: this takes ~10 min on 2 cores (once per machine)"
    BUILD_DIR="$(mktemp -d)"
    "${PIP[@]}" download -q --no-deps --no-binary :all: --no-build-isolation \
        "mmcv==$MMCV_VERSION" -d "$BUILD_DIR"
    tar -xzf "$BUILD_DIR"/mmcv-"$MMCV_VERSION".tar.gz -C "$BUILD_DIR"
    SRC="$BUILD_DIR/mmcv-$MMCV_VERSION"
    # torch 2.14 headers need C++20; mmcv hard-codes C++17 for non-Windows builds.
    grep -q "'-std=c++17'" "$SRC/setup.py" || { echo "[install] unexpected mmcv setup.py: no -std=c++17 flag to patch" >&2; exit 1; }
    sed -i "s/'-std=c++17'/'-std=c++20'/g" "$SRC/setup.py"
    (cd "$SRC" && MMCV_WITH_OPS=1 "${PIP[@]}" wheel -q --no-build-isolation --no-deps -w "$BUILD_DIR/dist" .)
    mkdir -p "$WHEEL_DIR"
    cp "$BUILD_DIR"/dist/mmcv-*.whl "$WHEEL_DIR/.incoming.whl.tmp"
    BUILT_NAME="$(basename "$(ls "$BUILD_DIR"/dist/mmcv-*.whl)")"
    mv "$WHEEL_DIR/.incoming.whl.tmp" "$WHEEL_DIR/$BUILT_NAME"   # atomic: no half wheel in the cache
    rm -rf "$BUILD_DIR"
    MMCV_WHEEL="$WHEEL_DIR/$BUILT_NAME"
else
    step "mmcv $MMCV_VERSION: using the cached wheel $MMCV_WHEEL"
fi
"${PIP[@]}" install -q --no-deps "$MMCV_WHEEL"
# mmcv's own runtime requirements (the wheel was installed with --no-deps).
"${PIP[@]}" install -q addict packaging Pillow pyyaml yapf opencv-python

step "chumpy (mmpose requirement; its setup.py imports pip, so no build isolation)"
"${PIP[@]}" install -q --no-build-isolation chumpy

step "OpenMMLab toolboxes: mmengine, mmpretrain, mmdet, mmseg, mmpose, mmaction2"
"${PIP[@]}" install -q -r "$REPO/requirements/runtime.txt"

step "xtcocotools rebuilt from source (the wheel is built against numpy 1)"
XTCOCO_VERSION="$("$PY" -c 'from importlib.metadata import version; print(version("xtcocotools"))')"
"${PIP[@]}" install -q --force-reinstall --no-deps --no-binary xtcocotools --no-build-isolation \
    "xtcocotools==$XTCOCO_VERSION"

step "openmim (mim), then setuptools re-pinned to <81"
"${PIP[@]}" install -q -r "$REPO/requirements/optional.txt"
"${PIP[@]}" install -q -r "$REPO/requirements/build.txt"

step "DeepSpeed (requirements/deepspeed.txt) into $VENV/extras/deepspeed, off the default import path"
rm -rf "$VENV/extras/deepspeed"
"${PIP[@]}" install -q --no-deps --target "$VENV/extras/deepspeed" -r "$REPO/requirements/deepspeed.txt"

step "MMDeploy (requirements/mmdeploy.txt) into $VENV/extras/mmdeploy, off the default import path"
rm -rf "$VENV/extras/mmdeploy"
"${PIP[@]}" install -q --no-deps --target "$VENV/extras/mmdeploy" -r "$REPO/requirements/mmdeploy.txt"

step "repairing the mmaction2 1.2.0 wheel (missing localizers/drn, upstream issue #2714)"
"$PY" "$REPO/tools/misc/repair_mmaction2.py"

step "test, deployment and visualization requirements (pytest, onnx, onnxruntime, grad-cam) and uniformer_mm (editable)"
"${PIP[@]}" install -q -r "$REPO/requirements/tests.txt" -r "$REPO/requirements/deploy.txt" \
    -r "$REPO/requirements/visualization.txt"
"${PIP[@]}" install -q --no-deps --no-build-isolation -e "$REPO"

step "verifying imports"
"$PY" -W ignore -c "$SMOKE_IMPORTS; print('[install] all toolboxes import')"
PYTHONPATH="$VENV/extras/deepspeed" "$PY" -W ignore -c "$DEEPSPEED_IMPORT" >/dev/null
"$PY" -W ignore -c "$MMDEPLOY_IMPORT" >/dev/null
"$VENV/bin/mim" --version >/dev/null
stamp_value > "$STAMP"
printf '\n[install] done in %ds. Activate with: source %s/bin/activate\n' "$((SECONDS - START_TIME))" "$VENV"
