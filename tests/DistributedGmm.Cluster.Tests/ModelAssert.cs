using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

/// <summary>Bit-for-bit equality of two fitted models: every double compared by its bits.</summary>
internal static class ModelAssert
{
    public static void BitIdentical(FittedModel expected, FittedModel actual)
    {
        Assert.Equal(expected.Mixture.CovarianceType, actual.Mixture.CovarianceType);
        Bits(expected.Mixture.Weights, actual.Mixture.Weights, "weights");
        Bits(expected.Mixture.Means, actual.Mixture.Means, "means");
        Bits(expected.Mixture.Covariances, actual.Mixture.Covariances, "covariances");
        Bits(expected.LogLikelihoodHistory.ToArray(), actual.LogLikelihoodHistory.ToArray(), "history");
        Bits([expected.LogLikelihood, expected.MeanLogLikelihood], [actual.LogLikelihood, actual.MeanLogLikelihood], "log-likelihood");
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Iterations, actual.Iterations);
        Assert.Equal(expected.Passes, actual.Passes);
        Assert.Equal(expected.Converged, actual.Converged);
        Assert.Equal(expected.Columns, actual.Columns);
    }

    private static void Bits(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {expected.Length} values, got {actual.Length}");
        for (var i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
