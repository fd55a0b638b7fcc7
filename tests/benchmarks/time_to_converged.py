"""Wall time to a converged model: DistributedGmm's default fit, plain and SQUAREM, against scikit-learn's.

The .NET benchmark (`converge`) draws overlapping data, writes it as raw float64 (row-major, no header), and times
its own fits. This script then times scikit-learn's GaussianMixture(...).fit with its defaults (k-means init,
tol 1e-3, max_iter 100, reg_covar 1e-6; --tol and --max-iter change both sides) on the same rows, median of the same number of runs, and prints both final
mean log-likelihoods (score). A benchmark tool only: run it through time-to-converged.sh.
"""
import argparse
import os
import subprocess
import tempfile
import time
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", required=True)
    parser.add_argument("--n", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--d", type=int, default=6)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--covariance", default="full")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tol", type=float, default=1e-3)
    parser.add_argument("--max-iter", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        for n in args.n:
            data = os.path.join(workdir, f"data-{n}.f64")
            ours = subprocess.run([args.benchmark, "converge", "--n", str(n), "--d", str(args.d), "--k", str(args.k),
                                   "--covariance", args.covariance, "--runs", str(args.runs), "--tol", str(args.tol),
                                   "--max-iter", str(args.max_iter), "--write-data", data],
                                  check=True, capture_output=True, text=True).stdout
            print(ours.rstrip())
            X = np.fromfile(data, dtype=np.float64).reshape(n, args.d)
            seconds, gm = [], None
            for _ in range(args.runs):
                gm = GaussianMixture(n_components=args.k, covariance_type=args.covariance, tol=args.tol,
                                     max_iter=args.max_iter, random_state=0)
                started = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    gm.fit(X)
                seconds.append(time.perf_counter() - started)
            median = float(np.median(seconds))
            print(f"{'scikit-learn':<12} {median:16.3f} {gm.n_iter_:8d} {gm.n_iter_:12d} {str(gm.converged_):>11} {gm.score(X):14.8f}")
            print()


if __name__ == "__main__":
    main()
