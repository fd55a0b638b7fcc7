using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>k-means++ seeding and Lloyd's iterations.</summary>
public class KMeansTests
{
    [Fact]
    public void Lloyd_converges_to_the_cluster_means_and_keeps_an_empty_cluster_in_place()
    {
        var x = TestData.Rows([0, 0], [0, 1], [10, 0], [10, 1]);
        double[] centres = [1, 0, 9, 0, 100, 100];
        var labels = KMeans.Lloyd(TestData.Block(x), centres, 3, 50);
        Assert.Equal([0, 0, 1, 1], labels);
        Assert.Equal([0, 0.5, 10, 0.5, 100, 100], centres);
    }

    [Fact]
    public void Seeds_are_distinct_rows_when_rows_are_distinct()
    {
        var x = TestData.Blobs(50, TestData.Centres3, 1, seed: 1);
        for (ulong seed = 0; seed < 10; seed++)
        {
            var seeds = KMeans.PlusPlusSeeds(TestData.Block(x), 6, new DeterministicRandom(seed, 0));
            Assert.Equal(6, seeds.Distinct().Count());
            Assert.All(seeds, s => Assert.InRange(s, 0, 49));
        }
    }

    [Fact]
    public void Identical_rows_still_give_k_seeds()
    {
        var x = TestData.Rows([1, 1], [1, 1], [1, 1]);
        var seeds = KMeans.PlusPlusSeeds(TestData.Block(x), 3, new DeterministicRandom(1, 0));
        Assert.Equal(3, seeds.Length);
        Assert.All(seeds, s => Assert.InRange(s, 0, 2));
    }
}
