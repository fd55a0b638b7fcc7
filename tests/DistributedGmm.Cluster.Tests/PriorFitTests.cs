using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// <c>--prior</c> on the actor runtime: the moments pass is one more round, and the MAP fit is the in-memory one bit
/// for bit, for any number of workers, weighted or not, and when resumed from a checkpoint.
/// </summary>
public class PriorFitTests
{
    private static FitSettings Settings(CovarianceType type) => TestData.Settings(type, nInit: 2) with { Prior = new PriorSettings(), RegCovar = 0 };

    [Theory]
    [InlineData(CovarianceType.Full, 1)]
    [InlineData(CovarianceType.Tied, 3)]
    [InlineData(CovarianceType.Diag, 2)]
    [InlineData(CovarianceType.Spherical, 4)]
    public async Task A_map_fit_is_the_in_memory_one_bit_for_bit(CovarianceType type, int workers)
    {
        var settings = Settings(type);
        var expected = InMemoryFitter.Fit(TestData.Standard, TestData.StandardSource.Columns, settings);
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, workers), TestData.StandardSource, null, TestData.Hooks, default);

        ModelAssert.BitIdentical(expected, model);
        Assert.Equal(expected.Prior!.Mean, model.Prior!.Mean);
        Assert.Equal(expected.Prior.Scale, model.Prior.Scale);
    }

    [Fact]
    public async Task A_weighted_map_fit_from_a_start_is_the_in_memory_one()
    {
        var weighted = TestData.Standard.Select((s, k) => new RowBlock(s.Values, s.Rows, s.Dimensions,
            Enumerable.Range(0, s.Rows).Select(i => 0.5 + (i + k) % 3).ToArray())).ToArray();
        var source = new InMemoryShardSource(weighted);
        var start = InMemoryFitter.Fit(TestData.Standard, source.Columns, TestData.Settings(CovarianceType.Diag) with { MaxIter = 2 }).Mixture;
        var settings = TestData.Settings(CovarianceType.Diag) with { Prior = new PriorSettings { Shrinkage = 0.5, Dof = 9, Scale = 0.2 }, InitModel = start };

        var expected = InMemoryFitter.Fit(weighted, source.Columns, settings);
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, 3), source, null, TestData.Hooks, default);

        ModelAssert.BitIdentical(expected, model);
        Assert.Equal([0.2], model.Prior!.Scale);
        Assert.Equal(9, model.Prior.Dof);
    }

    [Fact]
    public async Task A_resumed_map_fit_ends_with_the_uninterrupted_model()
    {
        var settings = Settings(CovarianceType.Full) with { Tol = 0, MaxIter = 6 };
        var states = new List<FitState>();
        var whole = await EmbeddedFit.RunAsync(TestData.Job(settings, 2) with { Checkpoint = states.Add }, TestData.StandardSource, null, TestData.Hooks, default);
        // From the checkpoint after the third iteration of the first restart.
        var resumed = await EmbeddedFit.RunAsync(TestData.Job(settings, 3) with { Resume = states[2] }, TestData.StandardSource, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(whole, resumed);
    }
}
