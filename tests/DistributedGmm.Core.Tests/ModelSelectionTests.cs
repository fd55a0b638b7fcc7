using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>BIC, AIC and parameter counts, as scikit-learn's _n_parameters, bic and aic.</summary>
public class ModelSelectionTests
{
    [Theory]
    // K, d: full = K·d(d+1)/2 + K·d + K − 1, etc., worked out by hand.
    [InlineData(CovarianceType.Full, 3, 4, 30 + 12 + 2)]
    [InlineData(CovarianceType.Diag, 3, 4, 12 + 12 + 2)]
    [InlineData(CovarianceType.Tied, 3, 4, 10 + 12 + 2)]
    [InlineData(CovarianceType.Spherical, 3, 4, 3 + 12 + 2)]
    [InlineData(CovarianceType.Full, 1, 1, 2)]
    [InlineData(CovarianceType.Spherical, 1, 1, 2)]
    [InlineData(CovarianceType.Full, 5, 2, 15 + 10 + 4)]
    [InlineData(CovarianceType.Tied, 5, 2, 3 + 10 + 4)]
    public void Free_parameters_as_scikit_learn_counts_them(CovarianceType type, int k, int d, long expected)
    {
        Assert.Equal(expected, ModelSelection.FreeParameters(type, k, d));
        Assert.Equal(expected, TestData.StartModel(type, Enumerable.Range(0, k).Select(c => new double[d]).ToArray()).FreeParameters);
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Bic_and_aic_on_a_small_case(CovarianceType type)
    {
        var x = TestData.Blobs(90, TestData.Centres3, 0.8, seed: 8);
        var fitted = TestData.Fit(x, TestData.FromStart(TestData.StartModel(type, TestData.Centres3), maxIter: 3));
        var logLikelihood = ReferenceAgreementTests.Reference(fitted.Mixture).ScoreSamples(x).Sum();
        var p = ModelSelection.FreeParameters(type, 3, 3);

        Assert.Equal(logLikelihood, fitted.LogLikelihood, 1e-9);
        Assert.Equal(-2 * logLikelihood + p * Math.Log(90), fitted.Bic, 1e-8);
        Assert.Equal(-2 * logLikelihood + 2 * p, fitted.Aic, 1e-8);
        Assert.Equal(-2 * 10.5 + 44 * Math.Log(1000), ModelSelection.Bic(10.5, 1000, 44), 12);
        Assert.Equal(-2 * 10.5 + 88, ModelSelection.Aic(10.5, 44), 12);
    }
}
