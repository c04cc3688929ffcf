#!/usr/bin/env bash
# Grid search of the global coefficients fitted on the hindcast (docs/CALIBRATION.md):
# for each point, a variant of scenarios/hindcast-2014.toml with those [params] is scored, and
# the mean Brier of the calibration outcomes (before 2020) is printed beside the held-out one.
#   bash scripts/calibrate.sh > calibration-grid.txt        (about a minute, release build)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/spheres
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "nato_join_hazard nato_join_months sanctions_hazard inertia calibration_brier held_out_brier"
for hazard in 0.03 0.06 0.1 0.2; do
  for months in 3 6 12 24; do
    for sanctions in 0.05 0.1 0.2 0.4; do
      for inertia in 1 1.5 3 5; do
        f="$tmp/point.toml"
        cat > "$f" <<TOML
extends = "$PWD/scenarios/hindcast-2014.toml"
[params]
nato_join_hazard = $hazard
nato_join_months = $months
sanctions_hazard = $sanctions
inertia = $inertia
TOML
        scores=$($bin hindcast "$f" --runs 400 --quiet --no-charts --out "$tmp/out" --force | awk '/mean Brier, calibration/ {c=$6} /mean Brier, held out/ {h=$7} END {print c, h}')
        echo "$hazard $months $sanctions $inertia $scores"
      done
    done
  done
done
