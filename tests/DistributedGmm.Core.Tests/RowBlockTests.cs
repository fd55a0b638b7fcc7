using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>A reused buffer longer than its rows: only the prefix counts, everywhere rows are read.</summary>
public class RowBlockTests
{
    private static RowBlock WithGarbageTail(double[,] x)
    {
        var exact = TestData.Block(x);
        var values = new double[exact.Values.Length + 50];
        exact.Values.CopyTo(values, 0);
        values.AsSpan(exact.Values.Length).Fill(double.NaN);
        return new RowBlock(values, exact.Rows, exact.Dimensions);
    }

    [Fact]
    public void Only_the_prefix_of_a_reused_buffer_counts()
    {
        var x = TestData.Blobs(200, TestData.Centres3, 1, seed: 9);
        var model = PreparedMixture.Prepare(TestData.StartModel(CovarianceType.Full, TestData.Centres3));
        Close.Bitwise(EStep.Compute(model, TestData.Block(x)).Values, EStep.Compute(model, WithGarbageTail(x)).Values, "statistics");

        var scorer = new MixtureScorer(model);
        Assert.Equal(scorer.Score(TestData.Block(x), [], [], []), scorer.Score(WithGarbageTail(x), [], [], []));

        var settings = new FitSettings { Components = 3, MaxIter = 5, Seed = 4 };
        var clean = InMemoryFitter.Fit([TestData.Block(x)], TestData.Columns(3), settings);
        var reused = InMemoryFitter.Fit([WithGarbageTail(x)], TestData.Columns(3), settings);
        Close.Bitwise(clean.Mixture.Means, reused.Mixture.Means, "means");
    }

    [Fact]
    public void A_buffer_too_short_or_ragged_rows_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new RowBlock(new double[5], 2, 3));
        Assert.Throws<ArgumentException>(() => RowBlock.FromRows([[1, 2], [3]]));
    }

    [Fact]
    public void A_fit_can_be_cancelled()
    {
        var x = TestData.Blobs(500, TestData.Centres3, 1, seed: 9);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            InMemoryFitter.Fit(TestData.Shards(x, 100), TestData.Columns(3), new FitSettings { Components = 3 }, null, cancel.Token));
    }
}
