#!/usr/bin/env bash
# The pages in a real browser: makes a run, a comparison, four sweeps (grid, Sobol, Morris, LHS), a
# lever table and a hindcast under output/page-check/, and renders every index.html in headless
# Chromium at 390 and 1280 pixels wide (scripts/check_pages.py). Fails on a broken image or
# link, a console error, or a page wider than the viewport; keeps the screenshots of the last
# run in output/page-check/screenshots/ for a person to look at.
#
#   bash scripts/check_pages.sh
#
# Needs Chromium and python3: Debian's `chromium` package is installed with apt-get when missing
# (as root, as CI runs); if neither can be had, the check is SKIPPED with a message and exits 0.
# .ci/run runs it after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
out=output/page-check
skip() {
    echo "check_pages: SKIPPED: $*" >&2
    exit 0
}

find_chromium() {
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

apt_install() {
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
    echo "check_pages: installing $* with apt-get" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >/dev/null 2>&1
}

chromium=$(find_chromium) || { apt_install chromium && chromium=$(find_chromium); } ||
    skip "no Chromium, and it could not be installed (needs root and apt-get: apt-get install chromium)"
command -v python3 >/dev/null 2>&1 || apt_install python3 ||
    skip "no python3, and it could not be installed"
"$chromium" --version >/dev/null 2>&1 || skip "$chromium does not start"

cargo build --release --locked --quiet
spheres=target/release/spheres
started=$(date +%s)
rm -rf "$out"
mkdir -p "$out"
q=(--quiet)
# A run of the Balkans (a map, every state), the tutorial (notes instead of empty charts), the
# main job's comparison, a lever table, a hindcast (its page drawn by `spheres report`), the
# panel's nowcast, a forecast and rolling origins scored, and a calibration.
"$spheres" run balkans --runs 100 --out "$out/run-balkans" "${q[@]}"
"$spheres" run tutorial --runs 100 --out "$out/run-tutorial" "${q[@]}"
"$spheres" compare nobody-steps-in eu-steps-in --runs 200 --out "$out/compare" "${q[@]}"
"$spheres" levers balkans-aggregate --runs 20 --out "$out/levers" "${q[@]}"
"$spheres" hindcast hindcast-2014 --runs 100 --out "$out/hindcast" "${q[@]}" >/dev/null
"$spheres" report "$out/hindcast" >/dev/null
"$spheres" nowcast europe --origin 2021-12 --out "$out/nowcast" >/dev/null 2>&1
# A forecast's fans, and rolling origins scored.
"$spheres" forecast europe --origin 2021 --years 2 --out "$out/forecast" "${q[@]}"
"$spheres" forecast europe --origins 2012:2014 --years 3 --runs 50 --out "$out/forecasts" "${q[@]}" >/dev/null
# A calibration's page: priors beside posteriors.
"$spheres" calibrate calibrate-2014 --particles 200 --budget 5000 --out "$out/calibrate" "${q[@]}" >/dev/null
# Sweeps: the bundled grid and a small Sobol and Morris design over the same parameters.
"$spheres" sweep scenarios/sweeps/grid.toml --out "$out/sweep-grid" "${q[@]}"
for design in sobol morris; do
    points=$([ "$design" = sobol ] && echo 64 || echo 20)
    sed -e "s/^design = .*/design = \"$design\"/" -e "s/^points = .*/points = $points/" \
        -e "s#^scenario = \"from-today.toml\"#scenario = \"$PWD/scenarios/sweeps/from-today.toml\"#" \
        scenarios/sweeps/sobol.toml >"$out/$design.toml"
    "$spheres" sweep "$out/$design.toml" --out "$out/sweep-$design" "${q[@]}"
done
# An LHS sample with its series: scatters and envelopes.
"$spheres" sweep scenarios/sweeps/lhs.toml --series --out "$out/sweep-lhs" "${q[@]}"
echo "check_pages: outputs made in $(($(date +%s) - started)) s" >&2
mapfile -t pages < <(find "$out" -name index.html | sort)
python3 scripts/check_pages.py --chromium "$chromium" --screenshots "$out/screenshots" \
    --root "$out" "${pages[@]}"
# The explorer, driven as a student would: every slider by keyboard and mouse at both widths,
# the latency from input to the first answer drawn (p95 under 1 s), its numbers against the API
# and the command it prints (scripts/check_explorer.py; about 3 minutes).
python3 scripts/check_explorer.py --chromium "$chromium" --spheres "$spheres" --out "$out/explorer"
