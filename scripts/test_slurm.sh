#!/usr/bin/env bash
# A real cluster engine for sweeps, end to end on this machine:
#   bash scripts/test_slurm.sh
# Installs slurm-wlm, munge and GNU parallel with apt-get when missing (needs root and
# Debian's mirror; otherwise prints SKIPPED and exits 0), starts munge and a single-node Slurm
# (slurmctld and slurmd, configured under target/slurm-test/, not /etc), runs a small Sobol
# sweep whole, then as a job array of 3 shards through scripts/sweep.sbatch, merges the
# shards and checks the merged files equal the whole sweep's byte for byte; then the same with
# GNU parallel. Stops the daemons it started. Takes about a minute once the packages are in.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)
say() { echo "test_slurm: $*" >&2; }
skip() {
    echo "test_slurm: SKIPPED: $*"
    exit 0
}

# --- the tools ---------------------------------------------------------------------------
missing=()
for tool in sbatch slurmctld slurmd munged parallel; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
[ "$(id -u)" = 0 ] || skip "needs root (to install packages and start munged and slurmd)"
if [ ${#missing[@]} -gt 0 ]; then
    say "installing slurm-wlm munge parallel (missing: ${missing[*]})"
    timeout 300 apt-get update -q >/dev/null 2>&1 ||
        skip "apt-get update failed: no network to Debian's mirror?"
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q slurm-wlm munge parallel \
        >/dev/null 2>&1 || skip "apt-get install slurm-wlm munge parallel failed"
fi

# --- spheres and the sweep ---------------------------------------------------------------
cargo build --release --locked --quiet
export PATH="$root/target/release:$PATH"
work=$root/target/slurm-test
rm -rf "$work"
mkdir -p "$work/slurm/state" "$work/slurm/spool"
cat >"$work/sweep.toml" <<EOF
# 16 base samples of a Sobol design over two parameters: 64 points, 4 runs each.
scenario = "$root/scenarios/balkans-aggregate.toml"
[sweep]
design = "sobol"
points = 16
runs = 4
seed = 7
outputs = ["region.mean_alignment", "SRB.alignment"]
[[parameter]]
path = "power.EU.budget.accession"
min = 0
max = 3000
[[parameter]]
path = "params.inertia"
min = 0.5
max = 5
EOF
flags=(--per-run --series --format ema)
files=(points.csv results.csv sensitivity.csv runs.csv series.csv ema.tar.gz)
spheres sweep "$work/sweep.toml" --out "$work/whole" --quiet --no-charts "${flags[@]}"

# Fails unless every data file of folder $1 equals the whole sweep's, byte for byte.
same_as_whole() {
    for f in "${files[@]}"; do
        cmp -s "$work/whole/$f" "$1/$f" || {
            say "FAILED: $1/$f differs from the whole sweep's"
            exit 1
        }
    done
    say "$(basename "$(dirname "$1")"): ${files[*]} equal the whole sweep's, byte for byte"
}

# --- munge and a single-node Slurm -------------------------------------------------------
pids=()
stop() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
}
trap stop EXIT
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge
    chown munge:munge /run/munge
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 50); do
        [ -s /run/munge/munged.pid ] && break
        sleep 0.1
    done
    pids+=("$(cat /run/munge/munged.pid)")
fi
munge -n | unmunge >/dev/null || {
    say "FAILED: munge does not work"
    exit 1
}
host=$(hostname -s)
export SLURM_CONF=$work/slurm/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=spheres-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for daemon in slurmctld slurmd; do
    for _ in $(seq 100); do
        [ -s "$work/slurm/$daemon.pid" ] && break
        sleep 0.1
    done
    pids+=("$(cat "$work/slurm/$daemon.pid")")
done
for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -qx idle && break
    sleep 1
done
sinfo -h -o %T | grep -qx idle || {
    say "FAILED: the node did not come up; see $work/slurm/*.log"
    exit 1
}
say "Slurm $(sinfo -V | cut -d' ' -f2) up: node $host, $(nproc) CPUs"

# --- the job array -----------------------------------------------------------------------
t0=$(date +%s)
sbatch --wait --array=1-3 --cpus-per-task=1 --output="$work/slurm-%A-%a.log" \
    scripts/sweep.sbatch "$work/sweep.toml" "$work/slurm-out" "${flags[@]}" >/dev/null || {
    say "FAILED: the job array failed; see $work/slurm-*.log"
    exit 1
}
spheres merge "$work"/slurm-out/shard-* --out "$work/slurm-out/merged" >/dev/null
slurm_seconds=$(($(date +%s) - t0))
same_as_whole "$work/slurm-out/merged"

# --- GNU parallel ------------------------------------------------------------------------
t0=$(date +%s)
parallel --will-cite --jobs "$(nproc)" --halt now,fail=1 \
    spheres sweep "$work/sweep.toml" --shard {}/3 --out "$work/parallel-out/shard-{}-of-3" \
    --threads 1 --quiet --yes "${flags[@]}" ::: 1 2 3
spheres merge "$work"/parallel-out/shard-* --out "$work/parallel-out/merged" >/dev/null
parallel_seconds=$(($(date +%s) - t0))
same_as_whole "$work/parallel-out/merged"

say "PASSED: Slurm job array of 3 shards ${slurm_seconds} s, GNU parallel ${parallel_seconds} s, all in $(($(date +%s) - started)) s"
