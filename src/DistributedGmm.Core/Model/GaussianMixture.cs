namespace DistributedGmm.Core.Model;

/// <summary>
/// The parameters of a Gaussian mixture, in scikit-learn's shapes, stored flat and row-major:
/// weights [K], means [K×d], covariances as <see cref="CovarianceTypeNames.CovarianceLength"/> says.
/// Immutable by convention: nothing in the project writes into these arrays after construction.
/// </summary>
public sealed class GaussianMixture
{
    public GaussianMixture(CovarianceType covarianceType, int components, int dimensions,
        double[] weights, double[] means, double[] covariances)
    {
        if (components <= 0) throw new ArgumentOutOfRangeException(nameof(components), "at least one component");
        if (dimensions <= 0) throw new ArgumentOutOfRangeException(nameof(dimensions), "at least one dimension");
        CheckLength(weights, components, "weights");
        CheckLength(means, components * dimensions, "means");
        CheckLength(covariances, covarianceType.CovarianceLength(components, dimensions), "covariances");
        CovarianceType = covarianceType;
        Components = components;
        Dimensions = dimensions;
        Weights = weights;
        Means = means;
        Covariances = covariances;
    }

    public CovarianceType CovarianceType { get; }
    public int Components { get; }
    public int Dimensions { get; }
    public double[] Weights { get; }
    public double[] Means { get; }
    public double[] Covariances { get; }

    public ReadOnlySpan<double> Mean(int k) => Means.AsSpan(k * Dimensions, Dimensions);

    /// <summary>Component k's covariance as a dense d×d matrix, whatever the covariance type.</summary>
    public double[,] CovarianceMatrix(int k)
    {
        var d = Dimensions;
        var m = new double[d, d];
        switch (CovarianceType)
        {
            case CovarianceType.Full:
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                    m[a, b] = Covariances[(k * d + a) * d + b];
                break;
            case CovarianceType.Tied:
                for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                    m[a, b] = Covariances[a * d + b];
                break;
            case CovarianceType.Diag:
                for (var a = 0; a < d; a++) m[a, a] = Covariances[k * d + a];
                break;
            case CovarianceType.Spherical:
                for (var a = 0; a < d; a++) m[a, a] = Covariances[k];
                break;
        }
        return m;
    }

    /// <summary>Free parameters, as scikit-learn's <c>_n_parameters</c> counts them (for BIC and AIC).</summary>
    public long FreeParameters => ModelSelection.FreeParameters(CovarianceType, Components, Dimensions);

    private static void CheckLength(double[] values, int expected, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != expected)
            throw new ArgumentException($"{name} has {values.Length} values, expected {expected}");
    }
}
