#!/usr/bin/env bash
# Grid search of the global coefficients fitted on the hindcast (docs/CALIBRATION.md):
# for each point, a variant of scenarios/hindcast-2014.toml with those [params] is scored, and
# the mean Brier of the calibration outcomes (before 2020) is printed beside the held-out one.
#   bash scripts/calibrate.sh > calibration-grid.txt        (seconds, release build)
# (NATO's accession hazards were on this grid until they were fitted on the panel's milestones:
# scripts/accession_pipeline.py, docs/MODEL.md 7.12.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/spheres
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "sanctions_hazard inertia calibration_brier held_out_brier"
    for sanctions in 0.05 0.1 0.2 0.4; do
      for inertia in 1 1.5 3 5; do
        f="$tmp/point.toml"
        cat > "$f" <<TOML
extends = "$PWD/scenarios/hindcast-2014.toml"
[params]
sanctions_hazard = $sanctions
inertia = $inertia
TOML
        scores=$($bin hindcast "$f" --runs 400 --quiet --no-charts --out "$tmp/out" --force | awk '/mean Brier, calibration/ {c=$6} /mean Brier, held out/ {h=$7} END {print c, h}')
        echo "$sanctions $inertia $scores"
      done
    done
