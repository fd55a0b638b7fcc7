using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>MixtureScorer: score_samples, predict_proba and predict against the reference.</summary>
public class ScoringTests
{
    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Per_row_scores_match_the_reference(CovarianceType type)
    {
        var x = TestData.Blobs(300, TestData.Centres3, 1.2, seed: 44); // more rows than one E-step block
        var model = TestData.Fit(x, TestData.FromStart(TestData.StartModel(type, TestData.Perturbed(TestData.Centres3)), maxIter: 4)).Mixture;
        var reference = ReferenceAgreementTests.Reference(model);
        var (expectedLogProb, expectedResp) = reference.EStep(x);

        var n = x.GetLength(0);
        var logLikelihood = new double[n];
        var probabilities = new double[n * 3];
        var labels = new int[n];
        var total = new MixtureScorer(model).Score(TestData.Block(x), logLikelihood, probabilities, labels);

        Close.All(expectedLogProb, logLikelihood, 1e-12, "log p(x)");
        Assert.Equal(expectedLogProb.Sum(), total, 1e-9);
        Close.All(expectedResp.Cast<double>().ToArray(), probabilities, 1e-12, "responsibilities");
        for (var i = 0; i < n; i++)
        {
            var row = probabilities.AsSpan(3 * i, 3).ToArray();
            Assert.Equal(1.0, row.Sum(), 14);
            Assert.Equal(Array.IndexOf(row, row.Max()), labels[i]);
        }
        Assert.Equal(3, labels.Distinct().Count());
    }

    [Fact]
    public void Outputs_may_be_skipped()
    {
        var x = TestData.Blobs(10, TestData.Centres3, 1, seed: 1);
        var scorer = new MixtureScorer(TestData.StartModel(CovarianceType.Full, TestData.Centres3));
        var logLikelihood = new double[10];
        var total = scorer.Score(TestData.Block(x), logLikelihood, [], []);
        Assert.Equal(logLikelihood.Sum(), total, 12);
        Assert.Equal(total, scorer.Score(TestData.Block(x), [], [], []));
    }

    [Fact]
    public void Rows_of_the_wrong_width_are_rejected()
    {
        var scorer = new MixtureScorer(TestData.StartModel(CovarianceType.Full, TestData.Centres3));
        Assert.Throws<ArgumentException>(() => scorer.Score(TestData.Block(TestData.Rows([1, 2])), [], [], []));
    }
}

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
