using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>A given start model (scikit-learn's weights_init/means_init/precisions_init) that does not fit the fit.</summary>
public class StartModelTests
{
    private static readonly double[,] Data = TestData.Blobs(300, TestData.Centres3, 1, seed: 3);

    [Fact]
    public void A_start_model_of_another_dimension_is_a_clear_argument_error()
    {
        var start = TestData.StartModel(CovarianceType.Full, [[0, 0], [1, 1], [2, 2]]);
        var e = Assert.Throws<ArgumentException>(() => TestData.Fit(Data, TestData.FromStart(start)));
        Assert.Contains("2", e.Message);
        Assert.Contains("3", e.Message);
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.6, -0.1 })]
    [InlineData(new[] { 0.5, 0.3, 0.3 })]
    [InlineData(new[] { 0.5, double.NaN, 0.5 })]
    public void A_start_model_with_invalid_weights_is_a_clear_argument_error(double[] weights)
    {
        var valid = TestData.StartModel(CovarianceType.Diag, TestData.Centres3);
        var start = new GaussianMixture(CovarianceType.Diag, 3, 3, weights, valid.Means, valid.Covariances);
        var e = Assert.Throws<ArgumentException>(() => TestData.Fit(Data, TestData.FromStart(start)));
        Assert.Contains("weights", e.Message);
    }

    [Fact]
    public void A_start_covariance_that_is_not_positive_definite_is_refused_naming_the_component()
    {
        var valid = TestData.StartModel(CovarianceType.Full, TestData.Centres3);
        var covariances = valid.Covariances.ToArray();
        covariances[9 + 4] = -1; // component 1, [1][1]
        var start = new GaussianMixture(CovarianceType.Full, 3, 3, valid.Weights, valid.Means, covariances);
        var e = Assert.Throws<InitializationException>(() => TestData.Fit(Data, TestData.FromStart(start)));
        Assert.Contains("component 1", e.Message);
        Assert.Contains("initial model", e.Message);
    }

    [Fact]
    public void Errors_inside_the_parallel_E_step_are_not_wrapped()
    {
        var model = PreparedMixture.Prepare(TestData.StartModel(CovarianceType.Full, [[0, 0], [1, 1]]));
        Assert.Throws<ArgumentException>(() => InMemoryFitter.Statistics(model, TestData.Shards(Data, 50)));
    }

    [Fact]
    public void A_start_model_is_used_as_given()
    {
        var start = TestData.StartModel(CovarianceType.Spherical, TestData.Perturbed(TestData.Centres3), variance: 2);
        var fitted = TestData.Fit(Data, TestData.FromStart(start, maxIter: 1));
        var reference = ReferenceAgreementTests.Reference(start);
        Close.All([reference.ScoreSamples(Data).Average()], fitted.LogLikelihoodHistory, 1e-12, "first lower bound");
    }
}
