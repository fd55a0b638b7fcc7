using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// What every E-step needs of a mixture, computed once per iteration: log weights, the precision Cholesky
/// factors U_k (upper triangular, Σ_k⁻¹ = U_k U_kᵀ, as scikit-learn's precisions_cholesky_) and their
/// log-determinants. Diag and spherical keep only U's diagonal; tied keeps one U shared by every component.
/// </summary>
public sealed class PreparedMixture
{
    public static readonly double Log2Pi = Math.Log(2 * Math.PI);

    private PreparedMixture(GaussianMixture mixture, double[] logWeights, double[] precisionFactors, double[] logDetPrecisionFactors)
    {
        Mixture = mixture;
        LogWeights = logWeights;
        PrecisionFactors = precisionFactors;
        LogDetPrecisionFactors = logDetPrecisionFactors;
    }

    public GaussianMixture Mixture { get; }
    public CovarianceType CovarianceType => Mixture.CovarianceType;
    public int Components => Mixture.Components;
    public int Dimensions => Mixture.Dimensions;
    public double[] Means => Mixture.Means;
    public double[] LogWeights { get; }

    /// <summary>
    /// full: K × d × d row-major upper factors; tied: one d × d; diag: K × d diagonal entries;
    /// spherical: K scalars (1/σ_k).
    /// </summary>
    public double[] PrecisionFactors { get; }

    /// <summary>log det U_k = −½ log det Σ_k, one per component.</summary>
    public double[] LogDetPrecisionFactors { get; }

    /// <summary>Throws <see cref="DegenerateComponentException"/> when a covariance is not positive definite.</summary>
    public static PreparedMixture Prepare(GaussianMixture mixture, double regCovar = 0)
    {
        int k = mixture.Components, d = mixture.Dimensions;
        var logWeights = new double[k];
        for (var c = 0; c < k; c++) logWeights[c] = Math.Log(mixture.Weights[c]);
        var logDet = new double[k];
        double[] factors;
        switch (mixture.CovarianceType)
        {
            case CovarianceType.Full:
                factors = new double[k * d * d];
                for (var c = 0; c < k; c++)
                    logDet[c] = PrecisionFactor(mixture.Covariances.AsSpan(c * d * d, d * d), d, factors.AsSpan(c * d * d, d * d), c, mixture, regCovar);
                break;
            case CovarianceType.Tied:
                factors = new double[d * d];
                var shared = PrecisionFactor(mixture.Covariances, d, factors, 0, mixture, regCovar);
                Array.Fill(logDet, shared);
                break;
            case CovarianceType.Diag:
                factors = new double[k * d];
                for (var c = 0; c < k; c++)
                {
                    double sum = 0;
                    for (var a = 0; a < d; a++)
                    {
                        var variance = mixture.Covariances[c * d + a];
                        if (!(variance > 0) || double.IsInfinity(variance)) throw Degenerate(c, mixture, regCovar);
                        var u = 1 / Math.Sqrt(variance);
                        factors[c * d + a] = u;
                        sum += Math.Log(u);
                    }
                    logDet[c] = sum;
                }
                break;
            case CovarianceType.Spherical:
                factors = new double[k];
                for (var c = 0; c < k; c++)
                {
                    var variance = mixture.Covariances[c];
                    if (!(variance > 0) || double.IsInfinity(variance)) throw Degenerate(c, mixture, regCovar);
                    factors[c] = 1 / Math.Sqrt(variance);
                    logDet[c] = d * Math.Log(factors[c]);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mixture));
        }
        return new PreparedMixture(mixture, logWeights, factors, logDet);
    }

    private static double PrecisionFactor(ReadOnlySpan<double> covariance, int d, Span<double> upper, int component, GaussianMixture mixture, double regCovar)
    {
        var lower = new double[d * d];
        if (!Cholesky.TryDecompose(covariance, d, lower)) throw Degenerate(component, mixture, regCovar);
        Cholesky.PrecisionFactorFromLower(lower, d, upper);
        double sum = 0;
        for (var a = 0; a < d; a++) sum += Math.Log(upper[a * d + a]);
        return sum;
    }

    private static DegenerateComponentException Degenerate(int component, GaussianMixture mixture, double regCovar) =>
        mixture.CovarianceType == CovarianceType.Tied
            ? DegenerateComponentException.SharedCovariance(regCovar)
            : new(component, double.NaN, regCovar);
}
