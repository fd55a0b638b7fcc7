using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>d = 200: raw densities underflow to 0, log space must not.</summary>
public class HighDimensionTests
{
    private const int D = 200;

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    public void Two_hundred_dimensions_give_a_finite_fit(CovarianceType type)
    {
        var random = new Random(4);
        const int n = 750;
        var x = new double[n, D];
        for (var i = 0; i < n; i++)
        for (var a = 0; a < D; a++) x[i, a] = 500.0 * (i % 3) * (a % 2 == 0 ? 1 : -1) + 100 * TestData.Gaussian(random);

        var fitted = TestData.Fit(x, new FitSettings { Components = 3, CovarianceType = type, MaxIter = 5, Seed = 1 }, shardRows: 250);

        Assert.True(double.IsFinite(fitted.LogLikelihood), $"log-likelihood {fitted.LogLikelihood}");
        Close.AllFinite(fitted.LogLikelihoodHistory, "history");
        Close.AllFinite(fitted.Mixture.Means, "means");
        Close.AllFinite(fitted.Mixture.Covariances, "covariances");

        var block = TestData.Block(x);
        var logLikelihood = new double[n];
        var labels = new int[n];
        new MixtureScorer(fitted.Mixture).Score(block, logLikelihood, [], labels);
        Close.AllFinite(logLikelihood, "per-row log-likelihood");
        Assert.All(logLikelihood, ll => Assert.Equal(0.0, Math.Exp(ll))); // the raw density underflows
        // Well separated: the labels are the blobs, up to renaming.
        for (var i = 3; i < n; i++) Assert.Equal(labels[i % 3], labels[i]);
        Assert.Equal(3, labels.Take(3).Distinct().Count());
    }
}
