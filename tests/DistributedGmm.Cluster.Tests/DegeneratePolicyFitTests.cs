using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// <c>--on-degenerate</c> on the actor runtime: the reseeded or dropped fit is the in-memory one bit for bit, for one
/// worker and several, so the arg-min row and the recovery do not depend on who computed which shard.
/// </summary>
public class DegeneratePolicyFitTests
{
    /// <summary>The standard shards with one far outlier in a middle shard, where component 3 starts (reg_covar 0).</summary>
    private static readonly IReadOnlyList<RowBlock> Shards = TestData.Standard.Select((s, k) =>
    {
        if (k != 17) return s;
        var values = (double[])s.Values.Clone();
        values[9] = values[10] = values[11] = 80;
        return new RowBlock(values, s.Rows, s.Dimensions);
    }).ToArray();

    private static readonly InMemoryShardSource Source = new(Shards);

    private static FitSettings Settings(DegeneratePolicy policy)
    {
        var truth = TestData.Truth();
        var means = truth.Means.Concat([80.0, 80, 80]).Select((v, i) => i < 9 ? v + 0.3 : v).ToArray();
        var start = new GaussianMixture(CovarianceType.Full, 4, 3, [0.25, 0.25, 0.25, 0.25], means,
            Enumerable.Range(0, 4).SelectMany(_ => new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }).ToArray());
        return new FitSettings
        {
            Components = 4, InitModel = start, RegCovar = 0, MaxIter = 12, Tol = 0, OnDegenerate = policy,
        };
    }

    [Theory]
    [InlineData(DegeneratePolicy.Reseed, 1)]
    [InlineData(DegeneratePolicy.Reseed, 4)]
    [InlineData(DegeneratePolicy.Drop, 1)]
    [InlineData(DegeneratePolicy.Drop, 3)]
    public async Task Recovery_is_bit_identical_for_any_number_of_workers(DegeneratePolicy policy, int workers)
    {
        var settings = Settings(policy);
        var expected = InMemoryFitter.Fit(Shards, Source.Columns, settings);
        var model = await EmbeddedFit.RunAsync(TestData.Job(settings, workers), Source, null, TestData.Hooks, default);

        Assert.Contains(new DegenerateEvent(1, 3, policy), expected.DegenerateEvents);
        Assert.Equal(expected.DegenerateEvents, model.DegenerateEvents);
        Assert.Equal(policy == DegeneratePolicy.Drop ? 3 : 4, model.Mixture.Components);
        ModelAssert.BitIdentical(expected, model);
    }

    [Theory]
    [InlineData(DegeneratePolicy.Drop)]
    [InlineData(DegeneratePolicy.Reseed)]
    public async Task A_fit_resumed_after_an_event_ends_with_the_uninterrupted_model_and_every_event(DegeneratePolicy policy)
    {
        var settings = Settings(policy);
        var states = new List<Core.Persistence.FitState>();
        var whole = await EmbeddedFit.RunAsync(TestData.Job(settings, 2) with { Checkpoint = states.Add }, Source, null, TestData.Hooks, default);
        var resumed = await EmbeddedFit.RunAsync(TestData.Job(settings, 3) with { Resume = states[4] }, Source, null, TestData.Hooks, default);

        ModelAssert.BitIdentical(whole, resumed);
        Assert.Equal(whole.DegenerateEvents, resumed.DegenerateEvents);
        Assert.NotEmpty(resumed.DegenerateEvents);
    }
}
