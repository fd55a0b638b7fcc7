# Fixture for MclustAgreementTests: R mclust's MAP EM with its default conjugate prior (priorControl()), from a
# given start, for the four models DistributedGmm maps its covariance types to (full = VVV, diag = VVI,
# spherical = VII, tied = EEE). Run from this folder: Rscript make_fixture.R (needs r-cran-mclust; mclust 6.0.0
# wrote the committed files). Writes data.csv (the rows) and expected.json (per model: the parameters after
# `iterations` M-steps, mclust's loglik of them, its BIC and the prior defaultPrior made).
library(mclust)

set.seed(20261204)
n <- c(160, 140, 100)
centres <- rbind(c(0, 0, 0), c(4, 1, -2), c(-3, 3, 1))
data <- do.call(rbind, lapply(1:3, function(k) {
  m <- matrix(rnorm(n[k] * 3, sd = 0.9), n[k], 3)
  sweep(m %*% matrix(c(1, 0.3, 0, 0, 1, -0.2, 0, 0, 1), 3, 3), 2, centres[k, ], "+")
}))
# Far from the origin, as real data often is: the shifted sums must keep the prior exact there too.
data <- data + 1000
colnames(data) <- c("x0", "x1", "x2")
writeLines(c("x0,x1,x2", apply(data, 1, function(r) paste(sprintf("%.17g", r), collapse = ","))), "data.csv")

iterations <- 20
G <- 3
p <- 3
# The start: equal weights, perturbed centres, identity covariances (so one E-step serves every model).
start_means <- t(centres + 1000 + rbind(c(0.7, -0.7, 0.7), c(-0.7, 0.7, -0.7), c(0.7, -0.7, 0.7)))
start <- list(pro = rep(1 / G, G), mean = start_means,
              variance = list(modelName = "VVV", d = p, G = G, sigma = array(diag(p), c(p, p, G)),
                              cholsigma = array(diag(p), c(p, p, G))))
z0 <- estep(modelName = "VVV", data = data, parameters = start)$z

num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
models <- c(full = "VVV", diag = "VVI", spherical = "VII", tied = "EEE")
entries <- c()
for (type in names(models)) {
  name <- models[[type]]
  fit <- me(modelName = name, data = data, z = z0, prior = priorControl(),
            control = emControl(tol = 0, itmax = iterations))
  # M-steps taken: all of them (negative: the limit was reached), or fewer if the log-likelihood stopped changing at all.
  steps <- abs(attr(fit, "info")[["iterations"]])
  prior <- defaultPrior(data, G = G, modelName = name)
  sigma <- fit$parameters$variance$sigma
  # Covariances in scikit-learn's shapes: full [K][d][d] row-major, tied [d][d], diag [K][d], spherical [K].
  cov <- switch(type,
    full = as.vector(aperm(sigma, c(2, 1, 3))),
    tied = as.vector(t(sigma[, , 1])),
    diag = as.vector(sapply(1:G, function(k) diag(sigma[, , k]))),
    spherical = fit$parameters$variance$sigmasq)
  bic_value <- bic(name, fit$loglik, n = nrow(data), d = p, G = G)
  entries <- c(entries, sprintf(
    '"%s": {"model": "%s", "iterations": %d, "weights": %s, "means": %s, "covariances": %s, "loglik": %.17g, "bic": %.17g, "prior": {"shrinkage": %.17g, "mean": %s, "dof": %.17g, "scale": %s}}',
    type, name, as.integer(steps), num(fit$parameters$pro), num(as.vector(fit$parameters$mean)), num(cov), fit$loglik, bic_value,
    prior$shrinkage, num(prior$mean), prior$dof, num(as.vector(t(prior$scale)))))
}
writeLines(c("{",
  sprintf('"mclust": "%s", "iterations": %d, "start_means": %s,', as.character(packageVersion("mclust")), iterations, num(as.vector(start_means))),
  paste(entries, collapse = ",\n"),
  "}"), "expected.json")
