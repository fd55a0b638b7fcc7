#!/usr/bin/env bash
# Issue 17 §1: the fleet outlives its jobs. 3 worker nodes serve JOBS (200) sequential coordinators: every tenth
# is SIGKILLed mid-fit (20), 5 times a worker is paused 30 s with SIGSTOP mid-fit and resumed, 5 times a worker
# is SIGKILLed mid-fit and restarted on its port. Afterwards every worker that was not killed is the same
# process, alive, and every job that was not itself killed wrote exactly what its embedded twin writes.
# Bounded by SOAK_TIMEOUT seconds (default 2400); prints one PASS/FAIL line; exit 0 only on PASS.
# Usage: tests/soak/fleet-soak.sh   (after `dotnet build DistributedGmm.sln -c Release`)
if [ -z "${SOAK_BOUNDED:-}" ]; then
  SOAK_BOUNDED=1 exec timeout --kill-after=20 "${SOAK_TIMEOUT:-2400}" "$0" "$@"
fi
set -uo pipefail
source "$(dirname "$0")/soak-lib.sh"
JOBS=${JOBS:-200}
started=$(date +%s)

gmm generate --out "$WORK/data" --rows 20000 --dims 3 --components 3 --files 3 --row-group-rows 2500 --seed 17 >/dev/null 2>&1 \
  || { fail "generate"; summary "fleet soak" "$started"; }
for i in 0 1 2; do start_worker $i || summary "fleet soak" "$started"; done
declare -A ORIGINAL_PID
for i in 0 1 2; do ORIGINAL_PID[$i]=${WORKER_PID[$i]}; done
declare -A KILLED_WORKER=()
PAUSED=()
covariances=(full diag spherical tied)
ok=0

for ((j = 0; j < JOBS; j++)); do
  cov=${covariances[$((j % 4))]}
  kill_coordinator=$(( j % 10 == 5 ))
  pause_worker=$(( j % 40 == 20 ))
  kill_worker=$(( j % 40 == 0 && j > 0 || j == JOBS - 8 ))
  # A job that is disturbed runs long enough to be caught mid-fit; the others are short.
  # (It prints its iterations, so the fault can wait for the first one.)
  if (( kill_coordinator || pause_worker || kill_worker )); then iters=3000; quiet=(); else iters=$(( 5 + j % 3 )); quiet=(--quiet); fi
  args=(fit "$WORK/data" -k 3 --covariance "$cov" --seed $((j % 3)) --tol 0 --max-iter "$iters" --shard-rows 1000 --out out.json "${quiet[@]}")
  start_job "job$j" "${args[@]}" --min-workers 2
  if (( kill_coordinator || pause_worker || kill_worker )); then
    wait_for "$JOB_DIR/stderr.txt" "iteration 1:" 1 90 "$JOB_PID" || true
  fi
  # Pauses go round all three (the seed, the oldest member, included); kills hit workers 1 and 2, so worker 0
  # is never killed and must stay the same process throughout.
  if (( pause_worker )); then victim=$(( (j / 40) % 3 )); else victim=$(( 1 + (j / 40) % 2 )); fi
  if (( kill_coordinator )); then
    kill -KILL "$JOB_PID" 2>/dev/null || fail "job $j ended before it could be killed: $(tail -1 "$JOB_DIR/stderr.txt")"
    wait "$JOB_PID" 2>/dev/null
    continue
  fi
  if (( pause_worker )); then
    pid=${WORKER_PID[$victim]}
    kill -STOP "$pid"; PAUSED+=("$pid")
    (sleep 30; kill -CONT "$pid") &
  fi
  if (( kill_worker )); then
    kill -KILL "${WORKER_PID[$victim]}"; wait "${WORKER_PID[$victim]}" 2>/dev/null
    KILLED_WORKER[$victim]=1
  fi
  rc=0; finish_job || rc=$?
  if (( kill_worker )); then start_worker "$victim" || true; fi
  if [ "$rc" -ne 0 ]; then fail "job $j ($cov, $iters iterations) exit $rc: $(grep 'gmm: error' "$JOB_DIR/stderr.txt" | head -1)"; continue; fi
  twin_dir=$(twin "fit-$cov-$((j % 3))-$iters" "${args[@]}")
  if same_output "$twin_dir" "$JOB_DIR" fit; then ok=$((ok + 1)); else fail "job $j ($cov, $iters iterations) differs from its embedded twin"; fi
done
sleep 35 # the last pause ends, the resumed node rejoins
for i in 0 1 2; do
  [ -n "${KILLED_WORKER[$i]:-}" ] && continue
  if [ "${WORKER_PID[$i]}" != "${ORIGINAL_PID[$i]}" ]; then fail "worker $i is a new process"; fi
  kill -0 "${WORKER_PID[$i]}" 2>/dev/null || fail "worker $i (pid ${WORKER_PID[$i]}) is not running"
done
for i in 0 1 2; do kill -0 "${WORKER_PID[$i]}" 2>/dev/null || fail "worker $i is down at the end"; done
echo "fleet soak: $ok jobs equal to their twins; ${#PAUSED[@]} pauses; workers killed: ${!KILLED_WORKER[*]}; rejoins: $(cat "$WORK"/worker*.log | grep -c 'joining again')" >&2
summary "fleet soak ($JOBS jobs, $ok equal to their embedded twins)" "$started"
