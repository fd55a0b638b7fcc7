#!/usr/bin/env bash
# Builds the benchmark programs (Release) quietly, for the scripts beside this one; a failed build shows the
# compiler's output and exits 1.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! log="$(dotnet build "$root/tests/DistributedGmm.Benchmarks" -c Release -v quiet -nologo 2>&1)"; then
  printf '%s\n' "$log" >&2
  echo "$(basename "$0"): dotnet build tests/DistributedGmm.Benchmarks failed (its output is above)" >&2
  exit 1
fi
