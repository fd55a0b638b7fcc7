using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>SufficientStatistics: merging partial sums, and the flat wire form.</summary>
public class MergeTests
{
    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Statistics_of_a_union_equal_the_merge_of_the_parts(CovarianceType type)
    {
        var x = TestData.Blobs(400, TestData.Centres3, 0.8, seed: 3);
        var model = PreparedMixture.Prepare(TestData.StartModel(type, TestData.Perturbed(TestData.Centres3)));
        var whole = EStep.Compute(model, TestData.Block(x));
        var merged = SufficientStatistics.Merge(EStep.Compute(model, TestData.Block(x, 0, 150)), EStep.Compute(model, TestData.Block(x, 150)));

        Close.All(whole.Values, merged.Values, 1e-12, "statistics");
        Assert.Equal(400, merged.Rows);
        Assert.Equal(400, merged.Weights.ToArray().Sum(), 9);
    }

    [Fact]
    public void Merge_leaves_its_arguments_alone()
    {
        var model = PreparedMixture.Prepare(TestData.StartModel(CovarianceType.Full, TestData.Centres3));
        var x = TestData.Blobs(50, TestData.Centres3, 1, seed: 1);
        var a = EStep.Compute(model, TestData.Block(x, 0, 20));
        var b = EStep.Compute(model, TestData.Block(x, 20));
        var before = a.Values.ToArray();
        SufficientStatistics.Merge(a, b);
        Close.Bitwise(before, a.Values);
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Flat_values_round_trip(CovarianceType type)
    {
        var model = PreparedMixture.Prepare(TestData.StartModel(type, TestData.Centres3));
        var stats = EStep.Compute(model, TestData.Block(TestData.Blobs(60, TestData.Centres3, 1, seed: 2)));
        var copy = SufficientStatistics.FromValues(type, 3, 3, stats.Values.ToArray());

        Close.Bitwise(stats.Values, copy.Values);
        Assert.Equal(stats.Rows, copy.Rows);
        Assert.Equal(stats.LogLikelihood, copy.LogLikelihood);
        Close.Bitwise(stats.SecondMoment(2).ToArray(), copy.SecondMoment(2).ToArray());
    }

    [Fact]
    public void Wrong_length_is_rejected()
    {
        var length = SufficientStatistics.Length(CovarianceType.Full, 3, 3);
        Assert.Equal(3 + 3 * (1 + 3 + 6) + 1 + 3, length);
        var e = Assert.Throws<ArgumentException>(() => SufficientStatistics.FromValues(CovarianceType.Full, 3, 3, new double[length - 1]));
        Assert.Contains($"{length}", e.Message);
    }

    [Fact]
    public void Statistics_of_different_shapes_do_not_merge()
    {
        var a = new SufficientStatistics(CovarianceType.Full, 3, 3);
        var b = new SufficientStatistics(CovarianceType.Diag, 3, 3);
        Assert.Throws<ArgumentException>(() => SufficientStatistics.Merge(a, b));
    }
}
