#!/usr/bin/env bash
# Runs the benchmark programs of tests/benchmarks/README.md and prints one Markdown section each: the machine (CPU
# model, cores, AVX-512), the date and the exact command above the program's output. The README's dated sections
# are made of this output.
#
#   bash tests/benchmarks/regenerate.sh [--quick] [--timeout SECONDS] [--out FILE] [SECTION ...]
#
#   --quick      small sizes, a few seconds to a minute a section: proves every program runs, measures nothing
#                worth keeping (the default is the README's sizes, tens of minutes in all on a quiet 2-core machine)
#   --timeout    seconds a section may run before it is stopped and marked so (default 1800; --quick 300)
#   --out FILE   also write the sections to FILE (default: standard output only)
#   SECTION      run only these, in this order: em runtime decode compare-sklearn floor memory-floor passes
#                weights time-to-converged s3 (default: all). compare-sklearn and time-to-converged need Debian's
#                python3-sklearn; s3 needs node and npm (tests/tools). A section whose tool is missing says so.
#                The full-size floor compares with scikit-learn's diag and spherical seconds an iteration taken
#                from a full-size compare-sklearn section run before it in the same call, else it prints none.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

quick=false
timeout_s=""
out=""
sections=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true ;;
    --timeout|--out)
      [[ $# -ge 2 && "$2" != --* ]] || { echo "regenerate.sh: $1 needs a value (--timeout SECONDS, --out FILE)" >&2; exit 2; }
      if [[ "$1" == --timeout ]]; then timeout_s="$2"; else out="$2"; fi
      shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --*) echo "regenerate.sh: unknown option $1" >&2; exit 2 ;;
    *) sections+=("$1") ;;
  esac
  shift
done
[[ -z "$timeout_s" || "$timeout_s" =~ ^[1-9][0-9]*$ ]] || { echo "regenerate.sh: --timeout needs a whole number of seconds, got '$timeout_s'" >&2; exit 2; }
all=(em runtime decode compare-sklearn floor memory-floor passes weights time-to-converged s3)
[[ ${#sections[@]} -eq 0 ]] && sections=("${all[@]}")
for s in "${sections[@]}"; do
  [[ " ${all[*]} " == *" $s "* ]] || { echo "regenerate.sh: unknown section '$s' (one of: ${all[*]})" >&2; exit 2; }
done
[[ -z "$timeout_s" ]] && { $quick && timeout_s=300 || timeout_s=1800; }

bench="tests/DistributedGmm.Benchmarks/bin/Release/net10.0/DistributedGmm.Benchmarks"
work="$(mktemp -d "${TMPDIR:-/tmp}/gmm-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
bash tests/benchmarks/build.sh

# scikit-learn's diag and spherical seconds an iteration from this call's full-size compare-sklearn section (same
# N, d and K as the full-size floor), as floor's options; nothing when that section did not run or failed.
sklearn_times() {
  [[ -s "$work/compare-sklearn.out" ]] || return 0
  awk '$1 == "diag" { d = $3 } $1 == "spherical" { s = $3 }
       END { if (d != "" && s != "") printf " --sklearn-diag %s --sklearn-spherical %s", d, s }' "$work/compare-sklearn.out"
}

# The command of each section, full size (the README's) or quick.
command_for() {
  local q=$1
  case "$2" in
    em) $q && echo "$bench em --n 100000 --d 8 --k 4 --covariance diag --iterations 3 --header" \
           || echo "$bench em --quick --iterations 5" ;;
    runtime) $q && echo "$bench runtime --rows 50000 --dims 8 --components 4 --covariance diag --iterations 3 --repeats 1" \
                || echo "$bench runtime --covariance full --iterations 10" ;;
    decode) $q && echo "$bench decode --rows 200000 --dims 8 --runs 1 --dir $work/decode" \
               || echo "$bench decode --rows 10000000 --dims 16 --dir $work/decode" ;;
    floor) $q && echo "$bench floor --runs 1" \
              || echo "$bench floor$(sklearn_times)" ;;
    memory-floor) $q && echo "$bench memory-floor --n 100000 --d 8" \
                     || echo "$bench memory-floor --n 1000000 --d 16" ;;
    passes) $q && echo "$bench passes --n 10000 --starts 1" \
               || echo "$bench passes --starts 9" ;;
    weights) $q && echo "$bench weights --n 50000 --d 8 --k 4 --repeats 3" \
                || echo "$bench weights --n 1e6 --d 16 --k 16" ;;
    compare-sklearn) $q && echo "bash tests/benchmarks/compare-sklearn.sh --n 20000 --d 4 --k 3 --iterations 2 --covariance diag" \
                        || echo "bash tests/benchmarks/compare-sklearn.sh --iterations 10" ;;
    time-to-converged) $q && echo "bash tests/benchmarks/time-to-converged.sh --n 20000 --runs 1" \
                          || echo "bash tests/benchmarks/time-to-converged.sh --n 200000 1000000" ;;
    s3) $q && echo "$bench s3 --rows 200000 --dims 8 --runs 1 --dir $work/s3" \
           || echo "$bench s3 --rows 10000000 --dims 16 --runs 3 --dir $work/s3" ;;
  esac
}

# Why a section cannot run on this machine, or nothing.
missing_tool() {
  case "$1" in
    compare-sklearn|time-to-converged)
      /usr/bin/python3 -c 'import sklearn' 2>/dev/null || echo "needs Debian's python3-sklearn (/usr/bin/python3)" ;;
    s3) command -v node >/dev/null && command -v npm >/dev/null || echo "needs node and npm (tests/tools)" ;;
  esac
}

cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
cores="$(nproc)"
grep -qw avx512f /proc/cpuinfo && avx512=yes || avx512=no
machine="$cpu, $cores cores, AVX-512 $avx512"

emit() { if [[ -n "$out" ]]; then tee -a "$out"; else cat; fi; }
[[ -n "$out" ]] && : > "$out"

status=0
for section in "${sections[@]}"; do
  cmd="$(command_for $quick "$section")"
  shown="${cmd//$work/\$TMP}"
  {
    echo "## $section$($quick && echo ' (quick)')"
    echo
    echo "- machine: $machine; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- command: \`$shown\`"
    echo
    echo '```'
  } | emit
  why="$(missing_tool "$section")"
  if [[ -n "$why" ]]; then
    echo "skipped: $why" | emit
  else
    start=$(date +%s)
    set +e
    timeout --kill-after=10 "$timeout_s" $cmd 2>&1 | tee "$work/$section.out" | emit
    rc=${PIPESTATUS[0]}
    set -e
    [[ $rc -eq 0 && $quick == false ]] || rm -f "$work/$section.out"
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
      echo "stopped after ${timeout_s} s (--timeout)" | emit; status=1
    elif [[ $rc -ne 0 ]]; then
      echo "exit $rc" | emit; status=1
    else
      echo "($(( $(date +%s) - start )) s)" | emit
    fi
  fi
  printf '```\n\n' | emit
done
exit $status
