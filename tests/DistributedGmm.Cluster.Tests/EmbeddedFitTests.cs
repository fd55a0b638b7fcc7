using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

public class EmbeddedFitTests
{
    private static readonly InMemoryShardSource Source = TestData.StandardSource;

    private static FittedModel Reference(FitSettings settings) => TestData.InMemory(settings);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Any_number_of_workers_gives_the_in_memory_model_bit_for_bit(int workers)
    {
        var settings = TestData.Settings();
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, workers), Source, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(Reference(settings), model);
        Assert.True(model.Iterations > 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Squarem_gives_the_in_memory_model_bit_for_bit_for_any_number_of_workers(int workers)
    {
        var settings = TestData.Settings(nInit: 2) with { Acceleration = Acceleration.Squarem, Init = InitMethod.RandomFromData };
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, workers), Source, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(Reference(settings), model);
        Assert.True(model.Passes > model.Iterations, "SQUAREM takes several passes an iteration");
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    [InlineData(CovarianceType.Tied)]
    public async Task Every_covariance_type_matches_the_in_memory_fitter(CovarianceType type)
    {
        var settings = TestData.Settings(type);
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, 2), Source, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(Reference(settings), model);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_shuffled_assignment_and_restarts_change_nothing(int shuffleSeed)
    {
        // The workers register in a shuffled order, 0.2 s apart, so each deals itself another run of groups.
        var settings = TestData.Settings(nInit: 2) with { Init = InitMethod.RandomFromData };
        var rank = Enumerable.Range(0, 3).ToArray();
        new Random(shuffleSeed).Shuffle(rank);
        var model = await TestRuntime.RunAsync(TestData.Job(settings, 3), Source, registerAfter: i => TimeSpan.FromMilliseconds(200 * rank[i]));
        ModelAssert.BitIdentical(Reference(settings), model);
    }

    [Fact]
    public async Task Cache_off_and_cache_on_give_the_same_model()
    {
        var settings = TestData.Settings();
        var off = await EmbeddedFit.RunAsync(TestData.Job(settings) with { CacheBytes = 0 }, Source, null, TestData.Hooks, default);
        var tiny = await EmbeddedFit.RunAsync(TestData.Job(settings) with { CacheBytes = 30_000 }, Source, null, TestData.Hooks, default);
        var on = await EmbeddedFit.RunAsync(TestData.Job(settings) with { CacheBytes = 1 << 30 }, Source, null, TestData.Hooks, default);
        ModelAssert.BitIdentical(off, on);
        ModelAssert.BitIdentical(off, tiny);
    }

    [Fact]
    public async Task Progress_is_reported_once_per_iteration()
    {
        var settings = TestData.Settings();
        var events = new List<FitProgress>();
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, 2), Source, new SynchronousProgress<FitProgress>(events.Add),
            TestData.Hooks, default);
        Assert.Equal(model.Iterations, events.Count);
        Assert.Equal(Enumerable.Range(1, model.Iterations), events.Select(e => e.Step.Iteration));
        Assert.All(events, e => Assert.Equal((Source.ShardCount, 2), (e.Shards, e.LiveWorkers)));
        Assert.Equal(model.LogLikelihoodHistory, events.Select(e => e.Step.MeanLogLikelihood));
    }

    [Fact]
    public async Task Cancellation_stops_the_fit()
    {
        using var cts = new CancellationTokenSource();
        var settings = TestData.Settings() with { Tol = 0, MaxIter = 10_000 };
        var progress = new SynchronousProgress<FitProgress>(e => { if (e.Step.Iteration == 3) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            EmbeddedFit.RunAsync(TestData.Job(settings, 2), Source, progress, TestData.Hooks, cts.Token));
    }

    [Fact]
    public async Task A_degenerate_component_surfaces_as_itself()
    {
        var same = new RowBlock(Enumerable.Repeat(1.5, 3 * 200).ToArray(), 200, 3);
        var source = new InMemoryShardSource([same, same]);
        var settings = TestData.Settings() with { RegCovar = 0, Components = 2, Init = InitMethod.Random };
        var expected = Assert.Throws<DegenerateComponentException>(() => InMemoryFitter.Fit([same, same], source.Columns, settings));
        var actual = await Assert.ThrowsAsync<DegenerateComponentException>(() =>
            EmbeddedFit.RunAsync(TestData.Job(settings, 2), source, null, TestData.Hooks, default));
        Assert.Equal(expected.Message, actual.Message);
    }
}
