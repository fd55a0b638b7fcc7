using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>Awkward data gives a finite model or a clear error, never NaN.</summary>
public class DegenerateDataTests
{
    public static TheoryData<InitMethod> AllInits => [InitMethod.KMeans, InitMethod.KMeansPlusPlus, InitMethod.Random, InitMethod.RandomFromData];

    private static void AssertUsable(FittedModel fitted)
    {
        var m = fitted.Mixture;
        Close.AllFinite(m.Weights, "weights");
        Close.AllFinite(m.Means, "means");
        Close.AllFinite(m.Covariances, "covariances");
        Close.AllFinite(fitted.LogLikelihoodHistory, "history");
        Assert.True(double.IsFinite(fitted.LogLikelihood));
        Assert.Equal(1.0, m.Weights.Sum(), 12);
        Assert.All(m.Weights, w => Assert.True(w > 0));
    }

    [Theory, MemberData(nameof(AllInits))]
    public void Duplicate_rows_give_a_finite_model(InitMethod init)
    {
        var blobs = TestData.Blobs(60, TestData.Centres3, 0.5, seed: 6);
        var x = new double[240, 3];
        for (var i = 0; i < 240; i++)
        for (var a = 0; a < 3; a++) x[i, a] = blobs[i % 60, a];
        foreach (var type in Enum.GetValues<CovarianceType>())
            AssertUsable(TestData.Fit(x, new FitSettings { Components = 3, CovarianceType = type, Init = init, Seed = 2, MaxIter = 30 }));
    }

    [Theory, MemberData(nameof(AllInits))]
    public void A_constant_column_gives_a_finite_model(InitMethod init)
    {
        var x = TestData.Blobs(300, TestData.Centres3, 0.5, seed: 6);
        for (var i = 0; i < 300; i++) x[i, 1] = 7.25;
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            var fitted = TestData.Fit(x, new FitSettings { Components = 3, CovarianceType = type, Init = init, Seed = 2, MaxIter = 30 });
            AssertUsable(fitted);
            for (var c = 0; c < 3; c++) Assert.Equal(7.25, fitted.Mixture.Means[c * 3 + 1], 9);
        }
    }

    private static (double[,] Data, GaussianMixture Start) OutlierCase(CovarianceType type)
    {
        var blob = TestData.Blobs(200, [[0, 0, 0]], 1, seed: 12);
        var x = new double[201, 3];
        for (var i = 0; i < 200; i++)
        for (var a = 0; a < 3; a++) x[i + 1, a] = blob[i, a];
        x[0, 0] = x[0, 1] = x[0, 2] = 100; // the outlier, alone far away
        return (x, TestData.StartModel(type, [[0, 0, 0], [100, 100, 100]]));
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void A_component_on_a_single_point_without_reg_covar_throws_naming_it(CovarianceType type)
    {
        var (x, start) = OutlierCase(type);
        var e = Assert.Throws<DegenerateComponentException>(() => TestData.Fit(x, TestData.FromStart(start, maxIter: 5, regCovar: 0)));
        Assert.Equal(1, e.Component);
        Assert.Contains("component 1", e.Message);
        Assert.Equal(1.0, e.Samples, 9);
    }

    [Fact]
    public void A_singular_tied_covariance_without_reg_covar_names_the_shared_matrix_not_a_component()
    {
        // Two blobs on the line x1 = 3: the one shared covariance has no variance across it.
        var rows = Enumerable.Range(0, 40).Select(i => new[] { (i % 2 == 0 ? 0.0 : 10.0) + 0.1 * (i % 7), 3.0 }).ToArray();
        var x = TestData.Rows(rows);
        var start = TestData.StartModel(CovarianceType.Tied, [[0, 3], [10, 3]]);
        var e = Assert.Throws<DegenerateComponentException>(() => TestData.Fit(x, TestData.FromStart(start, maxIter: 3, regCovar: 0)));
        Assert.Equal(-1, e.Component);
        Assert.StartsWith("the shared (tied) covariance is not positive definite", e.Message);
        Assert.DoesNotContain("component 0", e.Message);
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void A_component_on_a_single_point_with_default_reg_covar_is_finite(CovarianceType type)
    {
        var (x, start) = OutlierCase(type);
        var fitted = TestData.Fit(x, TestData.FromStart(start, maxIter: 5, regCovar: new FitSettings { Components = 1 }.RegCovar));
        AssertUsable(fitted);
        Assert.Equal(1.0 / 201, fitted.Mixture.Weights[1], 12);
        Close.All([100.0, 100, 100], fitted.Mixture.Means.AsSpan(3, 3).ToArray(), 1e-12, "outlier mean");
    }

    [Theory, MemberData(nameof(AllInits))]
    public void More_components_than_distinct_rows_give_a_finite_model(InitMethod init)
    {
        var x = new double[60, 2];
        for (var i = 0; i < 60; i++)
        {
            x[i, 0] = i % 3;
            x[i, 1] = (i % 3) * (i % 3);
        }
        foreach (var type in Enum.GetValues<CovarianceType>())
            AssertUsable(TestData.Fit(x, new FitSettings { Components = 5, CovarianceType = type, Init = init, Seed = 3, MaxIter = 20 }));
    }

    [Theory, MemberData(nameof(AllInits))]
    public void More_components_than_rows_is_a_clear_argument_error(InitMethod init)
    {
        var x = TestData.Rows([0, 1], [2, 3], [4, 5]);
        var e = Assert.Throws<ArgumentException>(() => TestData.Fit(x, new FitSettings { Components = 5, Init = init }));
        Assert.Contains("5 components", e.Message);
        Assert.Contains("3", e.Message);
    }

    [Fact]
    public void More_components_than_rows_is_an_error_even_from_a_start_model()
    {
        var x = TestData.Rows([0, 1], [2, 3], [4, 5]);
        var start = TestData.StartModel(CovarianceType.Diag, [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
        var e = Assert.Throws<ArgumentException>(() => TestData.Fit(x, TestData.FromStart(start)));
        Assert.Contains("5 components", e.Message);
        Assert.Contains("3 rows", e.Message);
    }

    [Fact]
    public void An_initial_sample_smaller_than_the_components_is_not_blamed_on_the_data()
    {
        var x = TestData.Blobs(1000, TestData.Centres3, 1, seed: 4);
        var e = Assert.Throws<ArgumentException>(() => TestData.Fit(x, new FitSettings { Components = 3, InitSampleRows = 2, MaxIter = 3 }));
        Assert.Contains("init sample rows", e.Message);
        Assert.DoesNotContain("the data has", e.Message);
        // Just enough asked, too few drawn by chance: the message still points at the sample, not the data.
        var sample = TestData.Block(x, 0, 2);
        e = Assert.Throws<ArgumentException>(() => Initializer.Initialize(sample, new FitSettings { Components = 3 }, 0));
        Assert.Contains("initialisation sample", e.Message);
    }
}
