namespace DistributedGmm.Core.Model;

/// <summary>Information criteria with scikit-learn's formulas and sign: lower is better.</summary>
public static class ModelSelection
{
    public static long FreeParameters(CovarianceType type, int components, int dimensions)
    {
        long k = components, d = dimensions;
        var covariance = type switch
        {
            CovarianceType.Full => k * d * (d + 1) / 2,
            CovarianceType.Diag => k * d,
            CovarianceType.Tied => d * (d + 1) / 2,
            CovarianceType.Spherical => k,
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return covariance + k * d + (k - 1);
    }

    /// <summary>
    /// BIC = −2 log L + p log n, with log L the total log-likelihood of n samples; with sample weights n = Σ w_i
    /// (what integer weights mean: the data with each row repeated w_i times).
    /// </summary>
    public static double Bic(double totalLogLikelihood, double samples, long freeParameters) =>
        -2.0 * totalLogLikelihood + freeParameters * Math.Log(samples);

    /// <summary>AIC = −2 log L + 2p.</summary>
    public static double Aic(double totalLogLikelihood, long freeParameters) =>
        -2.0 * totalLogLikelihood + 2.0 * freeParameters;
}
