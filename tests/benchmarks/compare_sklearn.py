"""Side-by-side timing and agreement of scikit-learn's GaussianMixture and DistributedGmm's in-memory fitter.

The .NET benchmark (`em`) draws the data, writes it as raw float64 (row-major, no header) with its start model
(model-file JSON), fits, and writes its fitted model. This script then fits scikit-learn on the same rows from the
same start (weights_init / means_init / precisions_init) for the same iterations (tol=0, max_iter=n), times each of
its EM iterations (E-step + M-step, as the .NET side does), and compares the two fitted models.

A benchmark tool only: nothing in the project depends on Python. Run it through compare-sklearn.sh.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_info


class TimedGaussianMixture(GaussianMixture):
    """Records the wall time of each E-step + M-step pair of the EM loop."""

    def _e_step(self, X):
        self._started = time.perf_counter()
        self._started_cpu = time.process_time()
        return super()._e_step(X)

    def _m_step(self, X, log_resp):
        super()._m_step(X, log_resp)
        self.iteration_seconds.append(time.perf_counter() - self._started)
        self.iteration_cpu_seconds.append(time.process_time() - self._started_cpu)


def precisions_from(model):
    cov = np.asarray(model["covariances"], dtype=np.float64)
    kind = model["covariance_type"]
    if kind == "full":
        return np.array([np.linalg.inv(c) for c in cov])
    if kind == "tied":
        return np.linalg.inv(cov)
    return 1.0 / cov


def relative_difference(ours, theirs):
    ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    return float(np.max(np.abs(ours - theirs)) / max(np.max(np.abs(theirs)), 1e-300))


def run_ours(args, workdir, kind, n, d, k):
    data = os.path.join(workdir, f"data-{n}-{d}-{k}-{kind}.f64")
    init = os.path.join(workdir, f"init-{kind}.json")
    fitted = os.path.join(workdir, f"ours-{kind}.json")
    command = [args.benchmark, "em", "--n", str(n), "--d", str(d), "--k", str(k), "--covariance", kind,
               "--iterations", str(args.iterations), "--write-data", data, "--write-init", init, "--write-model", fitted]
    line = subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    fields = line.split()
    # The em row: N d K type, median and min s/iter, GFLOP/s, ns/(row·K), processor s/iter, ...
    return data, init, fitted, float(fields[4]), float(fields[8])


def run_sklearn(data, init, n, d, kind, iterations):
    X = np.fromfile(data, dtype=np.float64).reshape(n, d)
    start = json.load(open(init))
    gm = TimedGaussianMixture(n_components=len(start["weights"]), covariance_type=kind, tol=0.0, max_iter=iterations,
                              reg_covar=1e-6, init_params="random", random_state=0,
                              weights_init=np.asarray(start["weights"]), means_init=np.asarray(start["means"]),
                              precisions_init=precisions_from(start))
    gm.iteration_seconds = []
    gm.iteration_cpu_seconds = []
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tol=0 never converges: ConvergenceWarning by design
        gm.fit(X)
    return gm, float(np.median(gm.iteration_seconds)), float(np.median(gm.iteration_cpu_seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", required=True, help="the DistributedGmm.Benchmarks executable")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=16)
    parser.add_argument("--k", type=int, default=16)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--covariance", default="full,diag,spherical,tied")
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()

    kernels = ", ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} threads={i.get('num_threads')}"
                        for i in threadpool_info())
    print(f"# numpy {np.__version__}, BLAS: {kernels}")
    print(f"# N={args.n} d={args.d} K={args.k}, {args.iterations} iterations, tol=0, same data and start")
    # Processor seconds (every thread of each process) beside wall seconds: on a shared machine the wall ratio
    # measures the queue as much as the programs.
    print(f"{'type':<10} {'ours s/iter':>12} {'sklearn s/iter':>15} {'ratio':>8} {'ours cpu s':>11} {'sklearn cpu s':>14} {'cpu ratio':>10} {'max rel diff':>13}")
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        worst = 0.0
        for kind in args.covariance.split(","):
            data, init, fitted, ours, ours_cpu = run_ours(args, workdir, kind, args.n, args.d, args.k)
            gm, theirs, theirs_cpu = run_sklearn(data, init, args.n, args.d, kind, args.iterations)
            os.remove(data)
            model = json.load(open(fitted))
            diff = max(relative_difference(model["weights"], gm.weights_),
                       relative_difference(model["means"], gm.means_),
                       relative_difference(model["covariances"], gm.covariances_))
            worst = max(worst, diff)
            print(f"{kind:<10} {ours:12.4f} {theirs:15.4f} {theirs / ours:8.1f} {ours_cpu:11.4f} {theirs_cpu:14.4f} "
                  f"{theirs_cpu / ours_cpu:10.1f} {diff:13.2e}", flush=True)
    if worst >= 1e-6:
        print(f"FAIL: the models differ by {worst:.2e} (relative, largest over weights, means, covariances)")
        sys.exit(1)


if __name__ == "__main__":
    main()
