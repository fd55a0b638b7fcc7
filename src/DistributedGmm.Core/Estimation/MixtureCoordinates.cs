using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// A mixture as one unconstrained vector, where every point is a valid mixture: K − 1 log-ratio weights
/// (log w_k − log w_K), the means, then per covariance its lower Cholesky factor with the diagonal as logarithms
/// (full and tied, d(d+1)/2 values row by row) or the log-variances (diag, spherical). SQUAREM extrapolates in these
/// coordinates, so a step of any length gives positive weights that sum to one and positive definite covariances.
/// </summary>
public static class MixtureCoordinates
{
    public static int Length(CovarianceType type, int k, int d) => k - 1 + k * d + type switch
    {
        CovarianceType.Full => k * d * (d + 1) / 2,
        CovarianceType.Tied => d * (d + 1) / 2,
        CovarianceType.Diag => k * d,
        CovarianceType.Spherical => k,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The coordinates of <paramref name="m"/>; throws when a covariance has no Cholesky factor.</summary>
    public static double[] ToVector(GaussianMixture m)
    {
        int k = m.Components, d = m.Dimensions;
        var x = new double[Length(m.CovarianceType, k, d)];
        var last = Math.Log(m.Weights[k - 1]);
        for (var c = 0; c < k - 1; c++) x[c] = Math.Log(m.Weights[c]) - last;
        var at = k - 1;
        m.Means.CopyTo(x, at);
        at += k * d;
        switch (m.CovarianceType)
        {
            case CovarianceType.Full:
                for (var c = 0; c < k; c++) at = PackFactor(m.Covariances.AsSpan(c * d * d, d * d), d, x, at, c);
                break;
            case CovarianceType.Tied:
                PackFactor(m.Covariances, d, x, at, 0);
                break;
            default:
                foreach (var v in m.Covariances) x[at++] = Math.Log(v);
                break;
        }
        return x;
    }

    /// <summary>The mixture at coordinates <paramref name="x"/>, or null when a value overflows (not a usable point).</summary>
    public static GaussianMixture? FromVector(CovarianceType type, int k, int d, ReadOnlySpan<double> x)
    {
        if (x.Length != Length(type, k, d)) throw new ArgumentException($"{x.Length} coordinates for a {k}-component {type.ToName()} mixture in {d} dimensions");
        var weights = new double[k];
        var max = 0.0; // the last component's log-ratio
        for (var c = 0; c < k - 1; c++) max = Math.Max(max, x[c]);
        double total = 0;
        for (var c = 0; c < k; c++) total += weights[c] = Math.Exp((c < k - 1 ? x[c] : 0) - max);
        for (var c = 0; c < k; c++) weights[c] /= total;
        var at = k - 1;
        var means = x.Slice(at, k * d).ToArray();
        at += k * d;
        var covariances = new double[type.CovarianceLength(k, d)];
        switch (type)
        {
            case CovarianceType.Full:
                for (var c = 0; c < k; c++) at = UnpackFactor(x, at, d, covariances.AsSpan(c * d * d, d * d));
                break;
            case CovarianceType.Tied:
                UnpackFactor(x, at, d, covariances);
                break;
            default:
                for (var i = 0; i < covariances.Length; i++) covariances[i] = Math.Exp(x[at + i]);
                break;
        }
        foreach (var v in weights) if (!(v > 0) || !double.IsFinite(v)) return null;
        foreach (var v in means) if (!double.IsFinite(v)) return null;
        foreach (var v in covariances) if (!double.IsFinite(v)) return null;
        return new GaussianMixture(type, k, d, weights, means, covariances);
    }

    private static int PackFactor(ReadOnlySpan<double> covariance, int d, double[] x, int at, int component)
    {
        Span<double> lower = new double[d * d];
        if (!Cholesky.TryDecompose(covariance, d, lower))
            throw new ArgumentException($"covariance {component} is not positive definite: it has no coordinates");
        for (var a = 0; a < d; a++)
        for (var b = 0; b <= a; b++)
            x[at++] = a == b ? Math.Log(lower[a * d + a]) : lower[a * d + b];
        return at;
    }

    private static int UnpackFactor(ReadOnlySpan<double> x, int at, int d, Span<double> covariance)
    {
        var lower = new double[d * d];
        for (var a = 0; a < d; a++)
        for (var b = 0; b <= a; b++)
            lower[a * d + b] = a == b ? Math.Exp(x[at++]) : x[at++];
        for (var a = 0; a < d; a++)
        for (var b = 0; b <= a; b++)
        {
            double s = 0;
            for (var p = 0; p <= b; p++) s += lower[a * d + p] * lower[b * d + p];
            covariance[a * d + b] = covariance[b * d + a] = s;
        }
        return at;
    }
}
