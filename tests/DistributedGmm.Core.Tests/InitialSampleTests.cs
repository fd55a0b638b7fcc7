using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>Which rows initialisation sees: a seeded, data-determined sample of about InitSampleRows rows.</summary>
public class InitialSampleTests
{
    private static readonly double[,] Data = TestData.Blobs(4000, TestData.Centres3, 1.0, seed: 21);

    [Fact]
    public void Small_data_is_taken_whole()
    {
        var shard = TestData.Block(Data, 0, 100);
        var sample = InitialSample.Draw(shard, 0, 100, new FitSettings { Components = 2, InitSampleRows = 100 });
        Close.Bitwise(shard.Span.ToArray(), sample.Span.ToArray());
    }

    [Fact]
    public void Large_data_gives_about_the_asked_rows_repeatably()
    {
        var shards = TestData.Shards(Data, 500);
        var settings = new FitSettings { Components = 3, InitSampleRows = 400, Seed = 5 };
        RowBlock Sample(FitSettings s) => InitialSample.Concatenate(shards.Select((b, i) => InitialSample.Draw(b, i, 4000, s)).ToArray(), 3);

        var first = Sample(settings);
        Assert.InRange(first.Rows, 400 - 5 * 19, 400 + 5 * 19); // binomial(4000, 0.1): σ ≈ 19
        Close.Bitwise(first.Span.ToArray(), Sample(settings).Span.ToArray());
        Assert.NotEqual(first.Span.ToArray(), Sample(settings with { Seed = 6 }).Span.ToArray());
        // Every sampled row is a data row.
        var rows = Enumerable.Range(0, 4000).Select(i => (Data[i, 0], Data[i, 1], Data[i, 2])).ToHashSet();
        for (var i = 0; i < first.Rows; i++) Assert.Contains((first.Values[3 * i], first.Values[3 * i + 1], first.Values[3 * i + 2]), rows);
    }

    [Fact]
    public void A_fit_from_a_sample_is_repeatable_and_finite()
    {
        var settings = new FitSettings { Components = 3, InitSampleRows = 300, Seed = 8, MaxIter = 10 };
        var a = TestData.Fit(Data, settings, shardRows: 1000);
        var b = TestData.Fit(Data, settings, shardRows: 1000);
        Close.Bitwise(a.Mixture.Means, b.Mixture.Means);
        Close.AllFinite(a.Mixture.Covariances);
    }
}
