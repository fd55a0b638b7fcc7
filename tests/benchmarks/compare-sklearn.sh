#!/usr/bin/env bash
# scikit-learn vs DistributedGmm on the same data, start and iterations. Options go to compare_sklearn.py
# (--n --d --k --iterations --covariance full,diag,spherical,tied).
# Debian's python3-sklearn (/usr/bin/python3), not a pyenv python. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset
# for scikit-learn's process alone, so OpenBLAS picks its own kernel for this CPU (the script prints which ran).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bash "$root/tests/benchmarks/build.sh"
bench="$root/tests/DistributedGmm.Benchmarks/bin/Release/net10.0/DistributedGmm.Benchmarks"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$root/tests/benchmarks/compare_sklearn.py" --benchmark "$bench" "$@"
