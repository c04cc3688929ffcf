#!/usr/bin/env bash
# Fuzzes scenario parsing and validation (fuzz/fuzz_targets/scenario.rs) for SECONDS (default
# 600), seeded with the bundled scenarios and the bad-scenario corpus. Not part of CI.
#   bash scripts/fuzz.sh [SECONDS]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain it runs without a
# sanitizer (RUSTC_BOOTSTRAP lets libFuzzer's coverage flags through); a finding is saved under
# fuzz/artifacts/scenario/: add it to tests/bad-scenarios/ with its expected message.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
corpus=fuzz/corpus/scenario
mkdir -p "$corpus"
cp scenarios/*.toml tests/bad-scenarios/*.toml tests/fixtures/*.toml "$corpus"/
RUSTC_BOOTSTRAP=1 cargo fuzz run scenario --sanitizer none --release "$corpus" -- \
  -max_total_time="$seconds" -max_len=16384 -dict=fuzz/scenario.dict
