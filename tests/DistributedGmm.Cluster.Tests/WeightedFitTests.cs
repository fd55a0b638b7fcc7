using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

/// <summary>Sample weights on the actor runtime: the in-memory weighted fit, bit for bit, whatever the workers.</summary>
public class WeightedFitTests
{
    /// <summary>The standard shards with weights in [0, 3), every seventh row 0.</summary>
    private static readonly IReadOnlyList<RowBlock> Weighted = TestData.Standard.Select((s, k) =>
        new RowBlock(s.Values, s.Rows, s.Dimensions,
            Enumerable.Range(0, s.Rows).Select(i => (i + k) % 7 == 0 ? 0 : 3 * ((i * 37 + k * 11) % 100) / 100.0).ToArray())).ToArray();

    private static readonly InMemoryShardSource Source = new(Weighted, null, "w");

    [Theory]
    [InlineData(1, InitMethod.KMeans)]
    [InlineData(3, InitMethod.KMeans)]
    [InlineData(2, InitMethod.RandomFromData)]
    [InlineData(5, InitMethod.Random)]
    public async Task Any_number_of_workers_gives_the_in_memory_weighted_model_bit_for_bit(int workers, InitMethod init)
    {
        var settings = TestData.Settings(nInit: 2) with { Init = init, InitSampleRows = 700 };
        var expected = InMemoryFitter.Fit(Weighted, Source.Columns, settings);
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, workers), Source, null, TestData.Hooks, default);

        ModelAssert.BitIdentical(expected, model);
        Assert.Equal("w", model.WeightColumn);
        Assert.Equal(Weighted.Sum(b => b.TotalWeight()), model.Samples, 1e-9);
        Assert.Equal(Weighted.Sum(b => b.Rows), model.Rows);
    }

    [Fact]
    public async Task Scoring_reports_the_weighted_totals()
    {
        var fitted = InMemoryFitter.Fit(Weighted, Source.Columns, TestData.Settings(CovarianceType.Diag));
        var score = await EmbeddedFit.RunPlanAsync(TestData.Job(TestData.Settings(), 2), Source, null, TestData.Hooks, fitted.Mixture, default);

        var scorer = new MixtureScorer(fitted.Mixture);
        double total = 0, samples = 0;
        foreach (var block in Weighted)
        {
            var logLikelihood = new double[block.Rows];
            scorer.Score(block, logLikelihood, default, default);
            for (var i = 0; i < block.Rows; i++)
            {
                total += block.Weight(i) * logLikelihood[i];
                samples += block.Weight(i);
            }
        }
        Assert.Equal(samples, score.Samples, 1e-9);
        Assert.Equal(total, score.LogLikelihood, 1e-9 * Math.Abs(total));
        Assert.Equal(ModelSelection.Bic(total, samples, fitted.Mixture.FreeParameters), score.Bic, 1e-8 * Math.Abs(score.Bic));
    }
}
