#!/usr/bin/env bash
# Refactoring check: run the same battery of commands with two spheres binaries and compare the
# folders byte for byte. Only manifest.json may differ, and only in its timing and command-line
# fields; files new in the second binary's folders are listed, files missing or changed fail.
#
#   bash scripts/compare_binaries.sh OLD_BINARY NEW_BINARY [WORKDIR]
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2")
work=${3:-target/compare-binaries}
rm -rf "$work"; mkdir -p "$work"
cd "$(dirname "$0")/.."
root=$(pwd)

battery() {
  local bin=$1 out=$2
  mkdir -p "$out"
  local q=(--quiet --threads 2)
  "$bin" run balkans-aggregate --runs 200 --seed 7 --trajectories 3 "${q[@]}" --out "$out/run"
  "$bin" run balkans --runs 6 --seed 3 --fixed --no-charts "${q[@]}" --out "$out/run-citizens"
  "$bin" compare nobody-steps-in eu-steps-in --set population.people_per_agent=0 --runs 100 --seed 5 "${q[@]}" --out "$out/compare"
  "$bin" compare nobody-steps-in eu-steps-in us-returns --set population.people_per_agent=0 --runs 60 --fixed --no-charts "${q[@]}" --out "$out/compare-fixed"
  "$bin" levers balkans-aggregate --runs 20 "${q[@]}" --out "$out/levers"
  "$bin" sweep "$root/scenarios/sweeps/grid.toml" --per-run --series --format ema "${q[@]}" --out "$out/grid"
  "$bin" sweep "$root/scenarios/sweeps/sobol.toml" --no-charts "${q[@]}" --out "$out/sobol"
  "$bin" hindcast hindcast-2014 --runs 100 "${q[@]}" --out "$out/hindcast" > "$out/hindcast.stdout"
  "$bin" calibrate calibrate-2014 --particles 40 --budget 2000 "${q[@]}" --out "$out/calibrate"
}

( cd "$work" && battery "$old" old && battery "$new" new )

python3 - "$work/old" "$work/new" <<'PY'
import json, os, sys
old, new = sys.argv[1], sys.argv[2]
volatile = {"wall_seconds", "wall_time_seconds", "command", "command_line", "spheres_version", "threads", "created"}
def files(root):
    out = set()
    for d, _, fs in os.walk(root):
        for f in fs:
            out.add(os.path.relpath(os.path.join(d, f), root))
    return out
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in volatile}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
a, b = files(old), files(new)
bad = 0
for f in sorted(a - b):
    print("missing in new:", f); bad += 1
for f in sorted(b - a):
    print("new file:", f)
for f in sorted(a & b):
    pa, pb = os.path.join(old, f), os.path.join(new, f)
    if f.endswith("manifest.json"):
        ja, jb = strip(json.load(open(pa))), strip(json.load(open(pb)))
        if ja != jb:
            # new keys are metadata; changed or removed keys are not
            for k in ja:
                if k == "files" and set(ja[k]) <= set(jb.get(k, [])):
                    continue  # new metadata files may appear
                if k == "schema_version":
                    continue  # new metadata may raise the schema
                if ja[k] != jb.get(k):
                    print("manifest differs:", f, k); bad += 1
        continue
    if open(pa, "rb").read() != open(pb, "rb").read():
        print("differs:", f); bad += 1
print(f"{len(a & b)} files compared, {bad} problems")
sys.exit(1 if bad else 0)
PY
