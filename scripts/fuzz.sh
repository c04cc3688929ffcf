#!/usr/bin/env bash
# Fuzzes spheres for SECONDS (default 600) with one of three targets. Not part of CI.
#   bash scripts/fuzz.sh [SECONDS] [scenario|inputs|explore_request]
#   SPHERES_FUZZ_SURFACE=0|1|2 bash scripts/fuzz.sh SECONDS inputs   # merge, report, or sample/analyze only
# - scenario (fuzz/fuzz_targets/scenario.rs): scenario parsing, validation and compilation,
#   seeded with the bundled scenarios, the bad-scenario corpus and the fixtures;
# - inputs (fuzz/fuzz_targets/inputs.rs): the files users hand back — a sweep slice to `merge`,
#   an output folder to `report`, parameter, sample and output tables to `sample` / `analyze` —
#   seeded with real ones made here by the release binary;
# - explore_request (fuzz/fuzz_targets/explore_request.rs): the body of an explorer request
#   (POST /api/compare), seeded with good and bad requests.
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain it runs without a
# sanitizer (RUSTC_BOOTSTRAP lets libFuzzer's coverage flags through); a finding is saved under
# fuzz/artifacts/<target>/: add it to the matching test corpus with its expected message.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
target=${2:-scenario}
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
case "$target" in
  scenario)
    cp scenarios/*.toml tests/bad-scenarios/*.toml tests/fixtures/*.toml "$corpus"/
    extra=(-max_len=16384 -dict=fuzz/scenario.dict)
    ;;
  explore_request)
    printf '%s' '{"runs": 200, "seed": 7, "worlds": true, "variant": {"policy.eu.budget.aid": 3000, "policy.eu.from": 24}}' > "$corpus/good.json"
    printf '%s' '{"baseline": {"policy.rus.budget.information": 60}, "runs": 100000}' > "$corpus/bad.json"
    extra=(-max_len=4096)
    ;;
  inputs)
    cargo build --release --quiet
    bin=target/release/spheres
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    sep() { printf '\377'; }
    cat > "$tmp/sweep.toml" <<TOML
scenario = "$PWD/scenarios/tutorial.toml"
[sweep]
design = "sobol"
points = 4
runs = 2
outputs = ["region.mean_alignment"]
[[parameter]]
path = "params.inertia"
min = 1
max = 3
[[parameter]]
path = "params.neighbour_pull"
min = 0.1
max = 0.3
TOML
    "$bin" sweep "$tmp/sweep.toml" --shard 1/2 --out "$tmp/slice" --quiet --no-charts
    { printf '\000'; cat "$tmp/slice/manifest.json"; sep; cat "$tmp/slice/sweep.toml"; sep
      cat "$tmp/slice/points.csv"; sep; cat "$tmp/slice/results.csv"; } > "$corpus/merge"
    "$bin" run tutorial --runs 10 --out "$tmp/run" --quiet --no-charts
    { printf '\001'; cat "$tmp/run/manifest.json"; sep; cat "$tmp/run/summary.csv"; sep
      cat "$tmp/run/scenario.resolved.toml"; sep; cat "$tmp/run/events.csv"; } > "$corpus/report"
    printf 'x1 0 1\nx2 0 1\n' > "$tmp/p.txt"
    "$bin" sample sobol --params "$tmp/p.txt" --n 8 > "$tmp/x.csv"
    awk -F, 'NR==1 {print "y"} NR>1 {print $1 + 2 * $2}' "$tmp/x.csv" > "$tmp/y.csv"
    { printf '\002'; cat "$tmp/p.txt"; sep; cat "$tmp/x.csv"; sep; cat "$tmp/y.csv"; } > "$corpus/analyze"
    extra=(-max_len=65536)
    ;;
  *) echo "unknown target $target: scenario, inputs or explore_request" >&2; exit 2 ;;
esac
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" --sanitizer none --release "$corpus" -- \
  -max_total_time="$seconds" "${extra[@]}"
