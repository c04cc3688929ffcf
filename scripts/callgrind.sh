#!/usr/bin/env bash
# Instructions (valgrind's callgrind, repeatable whatever the machine is doing) of the two
# kernels on one thread: 1,000 runs of balkans-aggregate and 6 runs of balkans with citizens,
# fixed coefficients, summary only. Compare two binaries by running it on each.
#
#   bash scripts/callgrind.sh [BINARY] [WORKDIR]     (default: target/release/spheres)
set -euo pipefail
bin=$(realpath "${1:-target/release/spheres}")
work=${2:-target/callgrind}
mkdir -p "$work"
if ! command -v valgrind > /dev/null; then
  echo "SKIPPED: valgrind is not installed (apt-get install valgrind)"
  exit 0
fi
count() {
  local tag=$1 label=$2; shift 2
  valgrind --tool=callgrind --callgrind-out-file="$work/$tag.out" "$bin" run "$@" \
    --fixed --summary-only --no-charts --threads 1 --quiet --out "$work/$tag" --force \
    2> "$work/$tag.log"
  printf '%-32s %s instructions\n' "$label" "$(grep -o 'Collected : [0-9]*' "$work/$tag.log" | cut -d' ' -f3)"
}
count aggregate "balkans-aggregate, 1,000 runs" balkans-aggregate --runs 1000
count citizens "balkans (citizens), 6 runs" balkans --runs 6
