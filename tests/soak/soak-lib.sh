# Shared by the soak scripts: real `gmm` processes on loopback, embedded twins, cleanup. Sourced, not run.
# GMM_DLL names the gmm.dll to run (default: the Release build of this checkout).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GMM_DLL="${GMM_DLL:-$ROOT/src/DistributedGmm.Cli/bin/Release/net10.0/gmm.dll}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset GMM_DEBUG GMM_HOST GMM_PORT GMM_SEED_NODES GMM_CONFIG GMM_BIND_HOST

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gmm-soak.XXXXXX")"
STARTED=()          # every process this script started, killed at exit
WORKER_PID=()       # index -> pid of the worker node on WORKER_PORT[index]
WORKER_PORT=()
FAILURES=()
SEED=""

gmm() { dotnet "$GMM_DLL" "$@"; }

# is_child PID: PID is still a process this script started (not reaped, not a reused pid of another program: the
# two soaks run side by side in CI, and a finished job's pid can come back as the other soak's worker node).
is_child() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "$(cut -d' ' -f2 <<<"$stat")" = "$$" ]
}

cleanup() {
  for pid in "${STARTED[@]}"; do
    is_child "$pid" || continue
    kill -CONT "$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 124' TERM INT

fail() { FAILURES+=("$*"); echo "FAIL: $*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_until SECONDS PID COMMAND...: until COMMAND succeeds, polled every 0.1 s; 1 if time runs out or PID (unless
# empty) exits.
wait_until() {
  local seconds=$1 pid=$2 i
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# holds FILE TEXT COUNT: FILE holds TEXT at least COUNT times.
holds() {
  local n
  n=$(grep -c -F -- "$2" "$1" 2>/dev/null)
  [ "${n:-0}" -ge "$3" ]
}

# wait_for FILE TEXT COUNT SECONDS [PID]: until FILE holds TEXT at least COUNT times; 1 if time runs out or PID exits.
wait_for() { wait_until "$4" "${5:-}" holds "$1" "$2" "$3"; }

# start_worker INDEX: a worker node on WORKER_PORT[INDEX] (the first is the seed), waits until it is Up.
start_worker() {
  local i=$1 log="$WORK/worker$1.log"
  [ -n "${WORKER_PORT[$i]:-}" ] || WORKER_PORT[$i]=$(free_port)
  [ -n "$SEED" ] || SEED="akka.tcp://gmm@127.0.0.1:${WORKER_PORT[0]}"
  local ups; ups=$(grep -c -F "gmm node: up at" "$log" 2>/dev/null); ups=${ups:-0}
  # As docs/cluster.md advises for long-lived worker nodes: methods compiled once, fully optimised.
  DOTNET_TieredCompilation=0 dotnet "$GMM_DLL" node --role worker --port "${WORKER_PORT[$i]}" --seed-nodes "$SEED" >>"$log" 2>&1 &
  WORKER_PID[$i]=$!
  STARTED+=("$!")
  wait_for "$log" "gmm node: up at" $((ups + 1)) 60 "$!" || { fail "worker $i did not come up"; return 1; }
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# rss_parts PID: VmRSS(RssAnon+RssFile+RssShmem), to tell a growing heap from code paged in or JIT-compiled.
rss_parts() { awk '/^VmRSS:/ { t = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^RssShmem:/ { s = $2 } END { printf "%s(%s+%s+%s)", t, a, f, s }' "/proc/$1/status" 2>/dev/null; }

# twin KEY ARGS...: the embedded run of ARGS once per KEY; prints the folder holding its output (out.json, out/, stdout.txt).
twin() {
  local key=$1; shift
  local dir="$WORK/twins/$key"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir.tmp"
    (cd "$dir.tmp" && gmm "$@" >stdout.txt 2>stderr.txt) || { fail "embedded twin $key: $(tail -1 "$dir.tmp/stderr.txt")"; }
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

# same_output TWIN_DIR RUN_DIR WHAT: out.json, every file of out/, or the JSON on stdout equal byte for byte.
same_output() {
  local twin=$1 run=$2 what=$3
  case "$what" in
    fit) cmp -s "$twin/out.json" "$run/out.json" ;;
    score) cmp -s "$twin/stdout.txt" "$run/stdout.txt" ;;
    predict) diff -rq "$twin/out" "$run/out" >/dev/null ;;
  esac
}

# job NAME KIND COMMAND-ARGS...: one coordinator run in its own folder, its exit code returned; the process in JOB_PID.
# The coordinator runs in the background; call finish_job to wait for it.
start_job() {
  local name=$1; shift
  JOB_DIR="$WORK/jobs/$name"
  mkdir -p "$JOB_DIR"
  (cd "$JOB_DIR" && exec dotnet "$GMM_DLL" "$@" --cluster --seed-nodes "$SEED" --port 0 --join-timeout 60s >stdout.txt 2>stderr.txt) &
  JOB_PID=$!
  STARTED+=("$!")
}

finish_job() {
  local rc=0
  wait "$JOB_PID" || rc=$?
  return $rc
}

summary() {
  local what=$1 started=$2
  local seconds=$(( $(date +%s) - started ))
  if [ ${#FAILURES[@]} -eq 0 ]; then
    echo "PASS: $what in ${seconds} s"
    exit 0
  fi
  echo "FAIL: $what in ${seconds} s: ${#FAILURES[@]} failure(s); first: ${FAILURES[0]}"
  KEEP_WORK=1
  echo "logs kept in $WORK" >&2
  exit 1
}
