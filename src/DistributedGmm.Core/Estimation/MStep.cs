using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// Statistics → parameters, as scikit-learn's _m_step, but from shifted moments: with n_k guarded by 10·eps,
/// δ_k = s_k / n_k, μ_k = m_k + δ_k and Σ_k = (Q_k − (2 − ñ_k/n_k)·s_k s_kᵀ / n_k) / n_k + reg_covar·I, where ñ_k is
/// the unguarded weight. That is Σ r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / n_k exactly, with no cancellation when the
/// data sit far from the origin.
/// </summary>
public static class MStep
{
    /// <summary>scikit-learn adds 10·eps to every n_k so that an empty component divides by something.</summary>
    public const double WeightGuard = 10 * 2.220446049250313e-16;

    /// <summary>
    /// The new parameters, prepared for the next E-step (precision Cholesky factors, as scikit-learn's M-step
    /// computes them). Throws <see cref="DegenerateComponentException"/> rather than return a NaN or a covariance
    /// that is not positive definite.
    /// </summary>
    /// <param name="stats">Statistics computed under means <paramref name="shifts"/> (K × d).</param>
    /// <param name="shifts">The means the statistics were shifted by (K × d).</param>
    /// <param name="regCovar">Added to every covariance's diagonal, as scikit-learn's <c>reg_covar</c>.</param>
    /// <param name="prior">MAP instead of maximum likelihood (see <see cref="MapCovariances"/>); null: scikit-learn's M-step.</param>
    public static PreparedMixture Compute(SufficientStatistics stats, ReadOnlySpan<double> shifts, double regCovar, ConjugatePrior? prior = null)
    {
        int k = stats.Components, d = stats.Dimensions;
        var type = stats.CovarianceType;
        var guarded = new double[k];
        double total = 0;
        for (var c = 0; c < k; c++) total += guarded[c] = stats.Weights[c] + WeightGuard;

        var weights = new double[k];
        var means = new double[k * d];
        for (var c = 0; c < k; c++)
        {
            weights[c] = guarded[c] / total;
            var s = stats.FirstMoment(c);
            for (var a = 0; a < d; a++) means[c * d + a] = shifts[c * d + a] + s[a] / guarded[c];
        }

        var covariances = new double[type.CovarianceLength(k, d)];
        if (prior is not null) MapCovariances(stats, shifts, guarded, total, prior, regCovar, means, covariances);
        else switch (type)
        {
            case CovarianceType.Full:
                for (var c = 0; c < k; c++)
                {
                    ScatterMatrix(stats, c, guarded[c], covariances.AsSpan(c * d * d, d * d), 1 / guarded[c]);
                    AddToDiagonal(covariances.AsSpan(c * d * d, d * d), d, regCovar);
                }
                break;
            case CovarianceType.Tied:
                for (var c = 0; c < k; c++) ScatterMatrix(stats, c, guarded[c], covariances, 1 / total);
                AddToDiagonal(covariances, d, regCovar);
                break;
            case CovarianceType.Diag:
                for (var c = 0; c < k; c++)
                {
                    var s = stats.FirstMoment(c);
                    var q = stats.SecondMoment(c);
                    var factor = Correction(stats.Weights[c], guarded[c]);
                    for (var a = 0; a < d; a++) covariances[c * d + a] = (q[a] - factor * s[a] * s[a]) / guarded[c] + regCovar;
                }
                break;
            case CovarianceType.Spherical:
                // The mean of the diagonal variances: (trace Q_k − correction·‖s_k‖²) / n_k / d + reg_covar.
                for (var c = 0; c < k; c++)
                {
                    var s = stats.FirstMoment(c);
                    double squared = 0;
                    for (var a = 0; a < d; a++) squared += s[a] * s[a];
                    var trace = stats.SecondMoment(c)[0] - Correction(stats.Weights[c], guarded[c]) * squared;
                    covariances[c] = trace / guarded[c] / d + regCovar;
                }
                break;
        }

        for (var c = 0; c < k; c++)
            if (!AllFinite(means.AsSpan(c * d, d))) throw new DegenerateComponentException(c, stats.Weights[c], regCovar);
        var mixture = new GaussianMixture(type, k, d, weights, means, covariances);
        try
        {
            return PreparedMixture.Prepare(mixture, regCovar);
        }
        catch (DegenerateComponentException e) when (type != CovarianceType.Tied)
        {
            throw new DegenerateComponentException(e.Component, stats.Weights[e.Component], regCovar);
        }
    }

    /// <summary>
    /// mclust's M-step with its conjugate prior (mstepVVV, VVI, VII, EEE with a prior; Fraley &amp; Raftery 2007), from
    /// the shifted moments: with x̄_k the weighted mean, W_k the scatter about it, δ_k = x̄_k − μ_P and
    /// B_k = W_k + κ n_k / (κ + n_k) · δ_k δ_kᵀ, the mean moves to μ_k = x̄_k − κ / (n_k + κ) · δ_k and
    /// full: Σ_k = (Λ_P + B_k) / (ν_P + n_k + d + 2); tied: Σ = (Λ_P + Σ_k B_k) / (ν_P + d + 1 + K·[κ > 0] + n);
    /// diag: σ²_kj = (s_P + B_k,jj) / (ν_P + n_k + 2 + [κ > 0]); spherical: σ²_k = (s_P + tr B_k) / (ν_P + d·n_k + 2 + d·[κ > 0]).
    /// reg_covar, if any, is still added to the diagonal. Replaces <paramref name="means"/> (x̄_k on entry).
    /// </summary>
    private static void MapCovariances(SufficientStatistics stats, ReadOnlySpan<double> shifts, double[] guarded, double total, ConjugatePrior prior,
        double regCovar, double[] means, double[] covariances)
    {
        int k = stats.Components, d = stats.Dimensions;
        var type = stats.CovarianceType;
        var kappa = prior.Shrinkage;
        var shrinks = kappa > 0 ? 1 : 0;
        var delta = new double[d];
        var scatter = new double[d * d];
        if (type == CovarianceType.Tied) prior.Scale.CopyTo(covariances, 0);
        for (var c = 0; c < k; c++)
        {
            var n = guarded[c];
            var s = stats.FirstMoment(c);
            // δ = (m_k − μ_P) + s_k / n_k: no cancellation between x̄_k and μ_P far from the origin.
            for (var a = 0; a < d; a++) delta[a] = shifts[c * d + a] - prior.Mean[a] + s[a] / n;
            var pull = kappa * n / (kappa + n);
            for (var a = 0; a < d; a++) means[c * d + a] -= kappa / (n + kappa) * delta[a];
            switch (type)
            {
                case CovarianceType.Full:
                case CovarianceType.Tied:
                    Array.Clear(scatter);
                    ScatterMatrix(stats, c, n, scatter, 1);
                    var target = type == CovarianceType.Full ? covariances.AsSpan(c * d * d, d * d) : covariances.AsSpan(0, d * d);
                    for (var a = 0; a < d; a++)
                    for (var b = 0; b < d; b++)
                        target[a * d + b] += scatter[a * d + b] + pull * delta[a] * delta[b] + (type == CovarianceType.Full ? prior.Scale[a * d + b] : 0);
                    if (type == CovarianceType.Full)
                    {
                        var denominator = prior.Dof + n + d + 2;
                        for (var i = 0; i < d * d; i++) target[i] /= denominator;
                        AddToDiagonal(target, d, regCovar);
                    }
                    break;
                case CovarianceType.Diag:
                {
                    var q = stats.SecondMoment(c);
                    var factor = Correction(stats.Weights[c], n);
                    var denominator = prior.Dof + n + 2 + shrinks;
                    for (var a = 0; a < d; a++)
                        covariances[c * d + a] = (prior.Scale[0] + q[a] - factor * s[a] * s[a] + pull * delta[a] * delta[a]) / denominator + regCovar;
                    break;
                }
                default:
                {
                    double squared = 0, distance = 0;
                    for (var a = 0; a < d; a++)
                    {
                        squared += s[a] * s[a];
                        distance += delta[a] * delta[a];
                    }
                    var trace = stats.SecondMoment(c)[0] - Correction(stats.Weights[c], n) * squared;
                    covariances[c] = (prior.Scale[0] + trace + pull * distance) / (prior.Dof + d * n + 2 + d * shrinks) + regCovar;
                    break;
                }
            }
        }
        if (type != CovarianceType.Tied) return;
        var shared = prior.Dof + d + 1 + k * shrinks + total;
        for (var i = 0; i < d * d; i++) covariances[i] /= shared;
        AddToDiagonal(covariances, d, regCovar);
    }

    /// <summary>(2 − ñ/n)/n: the coefficient of s·sᵀ that recentres a shifted second moment on the new mean.</summary>
    private static double Correction(double unguarded, double guarded) => (2 - unguarded / guarded) / guarded;

    /// <summary>Adds scale·(Q_k − correction·s_k s_kᵀ) into a dense symmetric d × d matrix.</summary>
    private static void ScatterMatrix(SufficientStatistics stats, int c, double guarded, Span<double> target, double scale)
    {
        var d = stats.Dimensions;
        var s = stats.FirstMoment(c);
        var q = stats.SecondMoment(c);
        var factor = Correction(stats.Weights[c], guarded);
        var index = 0;
        for (var a = 0; a < d; a++)
        for (var b = a; b < d; b++)
        {
            var value = (q[index++] - factor * s[a] * s[b]) * scale;
            target[a * d + b] += value;
            if (a != b) target[b * d + a] += value;
        }
    }

    private static void AddToDiagonal(Span<double> matrix, int d, double value)
    {
        for (var a = 0; a < d; a++) matrix[a * d + a] += value;
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values) if (!double.IsFinite(v)) return false;
        return true;
    }
}
