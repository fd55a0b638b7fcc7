#!/usr/bin/env bash
# Issue 13 soak: 100 sequential jobs (fits of every covariance type, scores, predicts) against the same 3 worker
# nodes; each result equals its embedded twin byte for byte, and every worker's resident memory (VmRSS) after the
# last job is within 10% of its value after the tenth.
# Bounded by SOAK_TIMEOUT seconds (default 2400); prints one PASS/FAIL line; exit 0 only on PASS.
# Usage: tests/soak/memory-soak.sh   (after `dotnet build DistributedGmm.sln -c Release`)
if [ -z "${SOAK_BOUNDED:-}" ]; then
  SOAK_BOUNDED=1 exec timeout --kill-after=20 "${SOAK_TIMEOUT:-2400}" "$0" "$@"
fi
set -uo pipefail
source "$(dirname "$0")/soak-lib.sh"
JOBS=${JOBS:-100}
started=$(date +%s)

# 3 files: predict with at most as many files as worker nodes.
gmm generate --out "$WORK/data" --rows 30000 --dims 3 --components 3 --files 3 --row-group-rows 2500 --seed 13 >/dev/null 2>&1 \
  || { fail "generate"; summary "memory soak" "$started"; }
for i in 0 1 2; do start_worker $i || summary "memory soak" "$started"; done
covariances=(full diag spherical tied)

# last_line_idle LOG: the worker's last own line (gmm node: …) says it is idle.
last_line_idle() { grep '^gmm node: ' "$1" | tail -n 1 | grep -q 'idle: memory handed back'; }
declare -A RSS10
ok=0

for ((j = 0; j < JOBS; j++)); do
  cov=${covariances[$((j / 3 % 4))]}
  model="$WORK/model-$cov.json"
  case $((j % 3)) in
    0) kind=fit; args=(fit "$WORK/data" -k 3 --covariance "$cov" --seed 2 --tol 0 --max-iter 8 --shard-rows 1000 --out out.json --quiet) ;;
    1) kind=score; args=(score "$WORK/data" --model "$model" --shard-rows 1000 --json) ;;
    2) kind=predict; args=(predict "$WORK/data" --model "$model" --shard-rows 1000 --out out) ;;
  esac
  if [ "$kind" = fit ]; then
    twin_dir=$(twin "fit-$cov" "${args[@]}")
    cp "$twin_dir/out.json" "$model"
  else
    twin_dir=$(twin "$kind-$cov" "${args[@]}")
  fi
  start_job "job$j" "${args[@]}" --min-workers 3
  rc=0; finish_job || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "job $j ($kind $cov) exit $rc: $(grep 'gmm: error' "$JOB_DIR/stderr.txt" | head -1)"
  elif same_output "$twin_dir" "$JOB_DIR" "$kind"; then
    ok=$((ok + 1))
  else
    fail "job $j ($kind $cov) differs from its embedded twin"
  fi
  # Memory is read at rest: a worker releases a job when its coordinator has left, just after it exits, and once it
  # holds no job it logs that it is idle. The reading waits until each worker's last line says so (a release that
  # came after the next job had joined never got its own line), never for a fixed time.
  if (( (j + 1) % 10 == 0 )); then
    for i in 0 1 2; do
      wait_until 60 "${WORKER_PID[$i]}" last_line_idle "$WORK/worker$i.log" || echo "note: worker $i not idle 60 s after job $((j + 1))" >&2
    done
    echo "after job $((j + 1)): VmRSS kB (anonymous + file + shared) $(for i in 0 1 2; do printf '%s ' "$(rss_parts "${WORKER_PID[$i]}")"; done)" >&2
  fi
  if [ "$j" -eq 9 ]; then for i in 0 1 2; do RSS10[$i]=$(rss_kb "${WORKER_PID[$i]}"); done; fi
done
for i in 0 1 2; do
  last=$(rss_kb "${WORKER_PID[$i]}")
  if [ -z "$last" ] || [ -z "${RSS10[$i]:-}" ]; then fail "worker $i is not running"; continue; fi
  echo "worker $i VmRSS: after job 10 ${RSS10[$i]} kB, after job $JOBS $last kB" >&2
  if (( last * 10 > RSS10[$i] * 11 )); then fail "worker $i grew from ${RSS10[$i]} kB to $last kB"; fi
done
summary "memory soak ($JOBS jobs, $ok equal to their embedded twins)" "$started"
