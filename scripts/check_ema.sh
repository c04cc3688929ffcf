#!/usr/bin/env bash
# Checks that EMA Workbench reads a sweep's ema.tar.gz (`spheres sweep FILE --format ema`):
#   bash scripts/check_ema.sh OUTPUT_DIR
# Makes a virtual environment in target/ema-venv with ema_workbench from PyPI (needs python3
# and network access to PyPI). Not part of the default test run.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/check_ema.sh SWEEP_OUTPUT_DIR}
venv=target/ema-venv
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q ema_workbench; }
"$venv/bin/python" scripts/check_ema.py "$dir"
