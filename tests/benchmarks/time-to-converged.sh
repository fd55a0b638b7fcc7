#!/usr/bin/env bash
# Wall time to a converged model (default settings), DistributedGmm plain and SQUAREM against scikit-learn, on the
# same overlapping rows. Options go to time_to_converged.py (--n N [N ...] --d --k --covariance --runs).
# Debian's python3-sklearn (/usr/bin/python3); OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for scikit-learn alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bash "$root/tests/benchmarks/build.sh"
bench="$root/tests/DistributedGmm.Benchmarks/bin/Release/net10.0/DistributedGmm.Benchmarks"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$root/tests/benchmarks/time_to_converged.py" --benchmark "$bench" "$@"
