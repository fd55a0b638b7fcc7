using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Serialization;

/// <summary>
/// A mixture as one flat array for the wire: [weights (K), means (K × d), covariances], full and tied
/// covariances as their upper triangle row by row. The triangle is taken from the lower half mirrored, the half
/// the Cholesky factorisation reads, so the receiver prepares exactly the factors the sender prepared.
/// </summary>
public static class MixtureCodec
{
    public static int Length(CovarianceType type, int components, int dimensions) =>
        checked(components * (1 + dimensions) + PackedCovarianceLength(type, components, dimensions));

    public static double[] Encode(GaussianMixture mixture)
    {
        int k = mixture.Components, d = mixture.Dimensions;
        var values = new double[Length(mixture.CovarianceType, k, d)];
        mixture.Weights.CopyTo(values, 0);
        mixture.Means.CopyTo(values, k);
        var packed = values.AsSpan(k * (1 + d));
        switch (mixture.CovarianceType)
        {
            case CovarianceType.Full:
                var m = d * (d + 1) / 2;
                for (var c = 0; c < k; c++) PackUpper(mixture.Covariances.AsSpan(c * d * d, d * d), d, packed.Slice(c * m, m));
                break;
            case CovarianceType.Tied:
                PackUpper(mixture.Covariances, d, packed);
                break;
            default:
                mixture.Covariances.CopyTo(packed);
                break;
        }
        return values;
    }

    public static GaussianMixture Decode(CovarianceType type, int components, int dimensions, double[] values)
    {
        int k = components, d = dimensions;
        if (k < 1 || d < 1 || values.Length != Length(type, k, d))
            throw new ArgumentException($"{values.Length} values do not encode a {type.ToName()} mixture of {k} components in {d} dimensions");
        var weights = values.AsSpan(0, k).ToArray();
        var means = values.AsSpan(k, k * d).ToArray();
        var packed = values.AsSpan(k * (1 + d));
        var covariances = new double[type.CovarianceLength(k, d)];
        switch (type)
        {
            case CovarianceType.Full:
                var m = d * (d + 1) / 2;
                for (var c = 0; c < k; c++) UnpackUpper(packed.Slice(c * m, m), d, covariances.AsSpan(c * d * d, d * d));
                break;
            case CovarianceType.Tied:
                UnpackUpper(packed, d, covariances);
                break;
            default:
                packed.CopyTo(covariances);
                break;
        }
        return new GaussianMixture(type, k, d, weights, means, covariances);
    }

    private static int PackedCovarianceLength(CovarianceType type, int k, int d) => type switch
    {
        CovarianceType.Full => checked(k * (d * (d + 1) / 2)),
        CovarianceType.Tied => d * (d + 1) / 2,
        _ => type.CovarianceLength(k, d),
    };

    private static void PackUpper(ReadOnlySpan<double> matrix, int d, Span<double> packed)
    {
        var index = 0;
        for (var a = 0; a < d; a++)
        for (var b = a; b < d; b++)
            packed[index++] = matrix[b * d + a];
    }

    private static void UnpackUpper(ReadOnlySpan<double> packed, int d, Span<double> matrix)
    {
        var index = 0;
        for (var a = 0; a < d; a++)
        for (var b = a; b < d; b++)
            matrix[a * d + b] = matrix[b * d + a] = packed[index++];
    }
}
