using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace DistributedGmm.Core.Tests;

/// <summary>Every init method: repeatable for a seed, different across seeds and restarts, a valid model.</summary>
public class InitializationTests
{
    private static readonly double[][] FarCentres = [[0, 0], [10, 0], [0, 10]];
    private static readonly double[,] Data = TestData.Blobs(600, FarCentres, 0.5, seed: 31);

    public static TheoryData<InitMethod, CovarianceType> Methods()
    {
        var data = new TheoryData<InitMethod, CovarianceType>();
        foreach (var init in Enum.GetValues<InitMethod>())
        foreach (var type in Enum.GetValues<CovarianceType>())
            data.Add(init, type);
        return data;
    }

    /// <summary>Overlapping blobs: k-means has many local optima, so the seed shows.</summary>
    private static readonly double[,] Overlapping = TestData.Blobs(400, TestData.Centres3, 1.6, seed: 2);

    private static GaussianMixture Initialize(InitMethod init, CovarianceType type, int seed, int restart, double[,]? data = null, int k = 3) =>
        Initializer.Initialize(TestData.Block(data ?? Data), new FitSettings { Components = k, CovarianceType = type, Init = init, Seed = seed }, restart).Mixture;

    private static double[] AllParameters(GaussianMixture m) => [.. m.Weights, .. m.Means, .. m.Covariances];

    [Theory, MemberData(nameof(Methods))]
    public void Deterministic_for_a_seed_and_different_across_seeds_and_restarts(InitMethod init, CovarianceType type)
    {
        var first = Initialize(init, type, seed: 5, restart: 0, Overlapping, k: 4);
        Close.Bitwise(AllParameters(first), AllParameters(Initialize(init, type, seed: 5, restart: 0, Overlapping, k: 4)));
        Assert.NotEqual(first.Means, Initialize(init, type, seed: 6, restart: 0, Overlapping, k: 4).Means);
        Assert.NotEqual(first.Means, Initialize(init, type, seed: 5, restart: 1, Overlapping, k: 4).Means);
    }

    [Theory, MemberData(nameof(Methods))]
    public void Gives_a_valid_model(InitMethod init, CovarianceType type)
    {
        var m = Initialize(init, type, seed: 9, restart: 2);
        Assert.Equal(1.0, m.Weights.Sum(), 12);
        Assert.All(m.Weights, w => Assert.True(w > 0));
        Close.AllFinite(m.Means, "means");
        var dense = ReferenceAgreementTests.Reference(m).Covariances;
        foreach (var sigma in dense)
        {
            var matrix = Matrix<double>.Build.DenseOfArray(sigma);
            Assert.True(matrix.IsSymmetric());
            Assert.True(matrix.Evd().EigenValues.All(e => e.Real > 0), "covariance not positive definite");
        }
        // Every mean lies within the data's bounding box.
        for (var i = 0; i < m.Means.Length; i++) Assert.InRange(m.Means[i], -5, 15);
    }

    [Theory]
    [InlineData(InitMethod.KMeansPlusPlus)]
    [InlineData(InitMethod.RandomFromData)]
    public void Seeding_methods_put_each_mean_on_a_distinct_data_row_with_reg_covar_alone(InitMethod init)
    {
        var m = Initialize(init, CovarianceType.Full, seed: 4, restart: 0);
        var rows = Enumerable.Range(0, Data.GetLength(0)).Select(i => (Data[i, 0], Data[i, 1])).ToHashSet();
        var means = Enumerable.Range(0, 3).Select(c => (m.Means[2 * c], m.Means[2 * c + 1])).ToArray();
        Assert.All(means, mean => Assert.Contains(mean, rows));
        Assert.Equal(3, means.Distinct().Count());
        Close.All([1.0 / 3, 1.0 / 3, 1.0 / 3], m.Weights, 1e-14, "weights");
        for (var c = 0; c < 3; c++) Close.All([1e-6, 0, 0, 1e-6], m.Covariances.AsSpan(4 * c, 4).ToArray(), 1e-9, "covariance");
    }

    [Fact]
    public void KMeans_plus_plus_seeds_spread_over_well_separated_blobs()
    {
        for (var seed = 0; seed < 5; seed++)
            Assert.Equal(3, Nearest(Initialize(InitMethod.KMeansPlusPlus, CovarianceType.Full, seed, 0)).Distinct().Count());
    }

    [Fact]
    public void KMeans_recovers_the_blob_centres()
    {
        var m = Initialize(InitMethod.KMeans, CovarianceType.Diag, seed: 1, restart: 0);
        var nearest = Nearest(m);
        Assert.Equal(3, nearest.Distinct().Count());
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(FarCentres[nearest[c]][0], m.Means[2 * c], 0.15);
            Assert.Equal(FarCentres[nearest[c]][1], m.Means[2 * c + 1], 0.15);
            Assert.Equal(1.0 / 3, m.Weights[c], 12); // 200 rows each
        }
    }

    private static int[] Nearest(GaussianMixture m) => Enumerable.Range(0, m.Components)
        .Select(c => Enumerable.Range(0, 3).MinBy(b => Math.Pow(m.Means[2 * c] - FarCentres[b][0], 2) + Math.Pow(m.Means[2 * c + 1] - FarCentres[b][1], 2)))
        .ToArray();

    [Fact]
    public void Several_restarts_keep_the_one_with_the_best_final_lower_bound()
    {
        // Overlapping blobs and random starts: restarts end in different optima.
        var x = TestData.Blobs(400, TestData.Centres3, 1.6, seed: 2);
        var shards = TestData.Shards(x, 97);
        var settings = new FitSettings { Components = 4, Init = InitMethod.Random, NInit = 3, Seed = 12, MaxIter = 15, Tol = 0 };

        var sample = TestData.Block(x);
        var alone = Enumerable.Range(0, 3).Select(r =>
        {
            var run = new EmRun(Initializer.Initialize(sample, settings, r), settings, r);
            while (!run.Finished) run.Advance(InMemoryFitter.Statistics(run.Current, shards), TimeSpan.Zero);
            return run;
        }).ToArray();
        Assert.True(alone.Select(r => r.LowerBound).Distinct().Count() > 1, "restarts should differ for this test to mean anything");
        var best = alone.MaxBy(r => r.LowerBound)!;

        var fitted = InMemoryFitter.Fit(shards, TestData.Columns(3), settings);
        Close.Bitwise(best.History.ToArray(), fitted.LogLikelihoodHistory, "history");
        Close.Bitwise(best.Current.Mixture.Means, fitted.Mixture.Means, "means");
        Close.Bitwise(best.Current.Mixture.Covariances, fitted.Mixture.Covariances, "covariances");
    }
}
