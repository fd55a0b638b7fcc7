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
