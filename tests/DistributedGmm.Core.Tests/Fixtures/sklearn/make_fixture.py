"""Writes the scikit-learn cross-check fixture: data.csv and expected.json.

Run with Debian's python3-sklearn (a benchmark/fixture tool only; the project never needs Python):
    /usr/bin/python3 make_fixture.py
For each covariance type: GaussianMixture from a fixed start (weights_init, means_init, precisions_init),
tol=0, max_iter=20, and the fitted parameters, lower bound and mean log-likelihood it reports.
"""
import json
import warnings

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture

warnings.filterwarnings("ignore")  # tol=0 never converges: scikit-learn warns, as expected
rng = np.random.default_rng(1)
X = np.vstack([rng.normal(0, 1, (200, 3)), rng.normal(4, 0.5, (150, 3)), rng.normal([0, 5, -3], 1.5, (150, 3))])
X = X[rng.permutation(500)]
np.savetxt("data.csv", X, delimiter=",", fmt="%.17g")

k, d = 3, 3
start_means = X[[0, 50, 100]]
expected = {"sklearn_version": sklearn.__version__, "start_rows": [0, 50, 100], "max_iter": 20, "fits": {}}
for t in ["full", "tied", "diag", "spherical"]:
    if t == "full":
        cov = np.array([np.eye(d)] * k)
    elif t == "tied":
        cov = np.eye(d)
    elif t == "diag":
        cov = np.ones((k, d))
    else:
        cov = np.ones(k)
    precisions = 1 / cov if t in ("diag", "spherical") else np.linalg.inv(cov)
    g = GaussianMixture(k, covariance_type=t, weights_init=np.ones(k) / k, means_init=start_means,
                        precisions_init=precisions, tol=0, max_iter=20).fit(X)
    expected["fits"][t] = {
        "start_covariances": np.asarray(cov).tolist(),
        "weights": g.weights_.tolist(),
        "means": g.means_.tolist(),
        "covariances": np.asarray(g.covariances_).tolist(),
        "lower_bound": float(g.lower_bound_),
        "mean_log_likelihood": float(g.score(X)),
        "n_iter": int(g.n_iter_),
    }
with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1)
