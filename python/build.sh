#!/usr/bin/env bash
# The Python package: builds it (PyO3, abi3) into a virtual environment and runs its tests.
#   bash python/build.sh            # venv in target/python-venv
# Needs python3 with venv and network to PyPI (maturin, pandas, pytest, ema_workbench); prints
# SKIPPED and exits 0 when either is missing. Then: target/python-venv/bin/python -c
# 'import spheres; print(spheres.run("balkans", runs=100, seed=1).summary)'
set -euo pipefail
cd "$(dirname "$0")"
venv=${SPHERES_VENV:-$PWD/../target/python-venv}
skip() {
    echo "python/build.sh: SKIPPED: $*"
    exit 0
}
command -v python3 >/dev/null || skip "no python3"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" >/dev/null 2>&1 || skip "python3 cannot make a venv"
"$venv/bin/pip" install -q 'maturin>=1.5,<2' 'pandas>=1.5' pytest ema_workbench >/dev/null 2>&1 ||
    skip "pip install maturin pandas pytest ema_workbench failed: no network to PyPI?"
VIRTUAL_ENV=$venv PATH="$venv/bin:$PATH" maturin develop --release --locked --quiet
"$venv/bin/python" -m pytest -q tests
