using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Core.Model;

/// <summary>
/// mclust's conjugate prior as its M-steps use it (defaultPrior, and mstepVVV/VVI/VII/EEE with a prior): a normal
/// prior on each mean, centred on <see cref="Mean"/> with shrinkage κ_P, and an inverse Wishart (full, tied) or
/// inverse gamma (diag, spherical) prior on the covariances with <see cref="Dof"/> ν_P and scale Λ_P
/// (<see cref="Scale"/>: d × d for full and tied, one number s_P for diag and spherical).
/// </summary>
public sealed record ConjugatePrior(double Shrinkage, double[] Mean, double Dof, double[] Scale)
{
    /// <summary>
    /// mclust's defaultPrior for K components from the data's weighted mean and unbiased covariance
    /// (Σ w (x − x̄)(x − x̄)ᵀ / (Σ w − 1), var() for unit weights): mean x̄, ν_P = d + 2, and
    /// Λ_P = cov / K^(2/d) (full, tied; mclust falls back to its diagonal when n ≤ d) or
    /// s_P = trace(cov) / d / K^(2/d) (diag, spherical). The user's settings replace the defaults.
    /// </summary>
    public static ConjugatePrior Default(PriorSettings settings, CovarianceType type, int components, double[] mean, double[] covariance, double samples)
    {
        var d = mean.Length;
        var factor = Math.Pow(1.0 / components, 2.0 / d);
        double[] scale;
        if (type is CovarianceType.Full or CovarianceType.Tied)
        {
            scale = new double[d * d];
            for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
                scale[a * d + b] = settings.Scale is { } s ? (a == b ? s : 0)
                    : samples > d || a == b ? factor * covariance[a * d + b] : 0;
        }
        else
        {
            double trace = 0;
            for (var a = 0; a < d; a++) trace += covariance[a * d + a];
            scale = [settings.Scale ?? factor * trace / d];
        }
        return new ConjugatePrior(settings.Shrinkage, mean, settings.Dof ?? d + 2, scale);
    }

    /// <summary>
    /// The prior from the data's moments: <paramref name="moments"/> are the statistics of one full-covariance component
    /// under mean <paramref name="shift"/> (every responsibility 1), so n = Σ w, s = Σ w (x − shift), Q its upper triangle.
    /// </summary>
    public static ConjugatePrior FromMoments(PriorSettings settings, CovarianceType type, int components, SufficientStatistics moments, ReadOnlySpan<double> shift)
    {
        var d = moments.Dimensions;
        try
        {
            settings.Validate(d);
        }
        catch (ArgumentException e)
        {
            throw new Initialization.InitializationException("--" + e.Message, e);
        }
        var n = moments.Weights[0];
        if (!(n > 1)) throw new Initialization.InitializationException($"a prior needs the data's covariance, but the data hold {n:G4} samples");
        var s = moments.FirstMoment(0);
        var q = moments.SecondMoment(0);
        var mean = new double[d];
        for (var a = 0; a < d; a++) mean[a] = shift[a] + s[a] / n;
        var covariance = new double[d * d];
        for (var a = 0; a < d; a++)
        for (var b = a; b < d; b++)
            covariance[a * d + b] = covariance[b * d + a] = (q[SufficientStatistics.UpperIndex(a, b, d)] - s[a] * s[b] / n) / (n - 1);
        return Default(settings, type, components, mean, covariance, n);
    }

    /// <summary>
    /// Where the moments pass centres its sums (any point near the data keeps them free of cancellation; this one is
    /// fixed by the data and the settings, so a resumed fit finds it again): the initial sample's weighted mean, or
    /// the start model's mean when one is given.
    /// </summary>
    public static double[] Shift(RowBlock sample, GaussianMixture? start)
    {
        var d = sample.Dimensions;
        var shift = new double[d];
        if (start is not null)
        {
            for (var c = 0; c < start.Components; c++)
            for (var a = 0; a < d; a++) shift[a] += start.Weights[c] * start.Means[c * d + a];
            return shift;
        }
        var total = sample.TotalWeight();
        if (!(total > 0)) return shift;
        for (var i = 0; i < sample.Rows; i++)
        {
            var row = sample.Row(i);
            for (var a = 0; a < d; a++) shift[a] += sample.Weight(i) * row[a];
        }
        for (var a = 0; a < d; a++) shift[a] /= total;
        return shift;
    }

    /// <summary>The one-component model whose E-step gives the data's moments: mean <paramref name="shift"/>, identity covariance.</summary>
    public static PreparedMixture MomentsModel(double[] shift)
    {
        var d = shift.Length;
        var identity = new double[d * d];
        for (var a = 0; a < d; a++) identity[a * d + a] = 1;
        return PreparedMixture.Prepare(new GaussianMixture(CovarianceType.Full, 1, d, [1.0], shift, identity));
    }
}
