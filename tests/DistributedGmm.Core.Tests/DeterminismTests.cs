using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>The reduction order is fixed by the data, so results never depend on who computes what.</summary>
public class DeterminismTests
{
    private static readonly double[,] Data = TestData.Blobs(2000, TestData.Centres3, 1.0, seed: 8);

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public async Task Reduction_is_bitwise_the_same_however_shards_are_computed(CovarianceType type)
    {
        var shards = TestData.Shards(Data, 70); // 29 shards: several groups, the last one partial
        var model = PreparedMixture.Prepare(TestData.StartModel(type, TestData.Perturbed(TestData.Centres3)));

        var sequential = shards.Select(s => EStep.Compute(model, s)).ToArray();
        var reversed = new SufficientStatistics[shards.Length];
        for (var i = shards.Length - 1; i >= 0; i--) reversed[i] = EStep.Compute(model, shards[i]);
        var onTasks = await Task.WhenAll(shards.Select(s => Task.Run(() => EStep.Compute(model, s))));

        var expected = ShardReduction.Reduce(sequential).Values;
        Close.Bitwise(expected, ShardReduction.Reduce(reversed).Values, "reversed");
        Close.Bitwise(expected, ShardReduction.Reduce(onTasks).Values, "tasks");
        Close.Bitwise(expected, InMemoryFitter.Statistics(model, shards).Values, "parallel");
        // As workers would: one fold per group, groups folded in group order, whatever group arrives first.
        var groups = Enumerable.Range(0, ShardReduction.GroupCount(shards.Length)).Reverse()
            .Select(g => (g, sum: ShardReduction.Fold(sequential.Skip(ShardReduction.FirstShard(g)).Take(ShardReduction.ShardsIn(g, shards.Length)))))
            .OrderBy(p => p.g).Select(p => p.sum);
        Close.Bitwise(expected, ShardReduction.Fold(groups).Values, "per group");
    }

    [Fact]
    public void Reduce_does_not_modify_the_shard_statistics()
    {
        var model = PreparedMixture.Prepare(TestData.StartModel(CovarianceType.Full, TestData.Centres3));
        var perShard = TestData.Shards(Data, 500).Select(s => EStep.Compute(model, s)).ToArray();
        var before = perShard.Select(s => s.Values.ToArray()).ToArray();
        ShardReduction.Reduce(perShard);
        ShardReduction.Reduce(perShard);
        for (var i = 0; i < perShard.Length; i++) Close.Bitwise(before[i], perShard[i].Values);
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Permuting_rows_changes_the_fit_only_by_rounding(CovarianceType type)
    {
        var n = Data.GetLength(0);
        var order = Enumerable.Range(0, n).OrderBy(_ => 0).ToArray();
        new Random(99).Shuffle(order);
        var permuted = new double[n, 3];
        for (var i = 0; i < n; i++)
        for (var a = 0; a < 3; a++) permuted[i, a] = Data[order[i], a];
        var settings = TestData.FromStart(TestData.StartModel(type, TestData.Perturbed(TestData.Centres3)), maxIter: 10);

        var original = TestData.Fit(Data, settings);
        var shuffled = TestData.Fit(permuted, settings, shardRows: 131);

        Close.All(original.Mixture.Weights, shuffled.Mixture.Weights, 1e-10, "weights");
        Close.All(original.Mixture.Means, shuffled.Mixture.Means, 1e-10, "means");
        Close.All(original.Mixture.Covariances, shuffled.Mixture.Covariances, 1e-10, "covariances");
        Close.All(original.LogLikelihoodHistory, shuffled.LogLikelihoodHistory, 1e-10, "history");
    }

    [Theory]
    [InlineData(InitMethod.KMeans)]
    [InlineData(InitMethod.Random)]
    public void Same_seed_gives_a_bit_identical_model(InitMethod init)
    {
        var settings = new FitSettings { Components = 3, Init = init, Seed = 17, NInit = 2, MaxIter = 30 };
        var first = TestData.Fit(Data, settings);
        var second = TestData.Fit(Data, settings); // same shards: the data fix the reduction order

        Close.Bitwise(first.Mixture.Weights, second.Mixture.Weights, "weights");
        Close.Bitwise(first.Mixture.Means, second.Mixture.Means, "means");
        Close.Bitwise(first.Mixture.Covariances, second.Mixture.Covariances, "covariances");
        Close.Bitwise(first.LogLikelihoodHistory, second.LogLikelihoodHistory, "history");
        Assert.Equal(first.Iterations, second.Iterations);
    }
}
