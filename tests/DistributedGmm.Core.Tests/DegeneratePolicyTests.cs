using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// <c>--on-degenerate reseed|drop</c>: a component alone on an outlier collapses at iteration 1 without reg_covar;
/// what follows is checked against closed forms and the plain reference's log-likelihoods.
/// </summary>
public class DegeneratePolicyTests
{
    /// <summary>A blob of 200 rows around the origin and one row at (100, 100, 100) (row 0), where component 1 starts.</summary>
    private static (double[,] Data, GaussianMixture Start) OutlierCase(CovarianceType type)
    {
        var blob = TestData.Blobs(200, [[0, 0, 0]], 1, seed: 12);
        var x = new double[201, 3];
        for (var i = 0; i < 200; i++)
        for (var a = 0; a < 3; a++) x[i + 1, a] = blob[i, a];
        x[0, 0] = x[0, 1] = x[0, 2] = 100;
        return (x, TestData.StartModel(type, [[0.3, -0.2, 0.1], [100, 100, 100]]));
    }

    private static FitSettings Settings(GaussianMixture start, DegeneratePolicy policy, int maxIter) =>
        TestData.FromStart(start, maxIter: maxIter, regCovar: 0) with { OnDegenerate = policy };

    /// <summary>Mean and biased covariance of rows [first, last) in the covariance type's form.</summary>
    private static (double[] Mean, double[] Covariance) Moments(double[,] x, int first, int last, CovarianceType type)
    {
        int n = last - first, d = x.GetLength(1);
        var mean = new double[d];
        for (var i = first; i < last; i++)
        for (var a = 0; a < d; a++) mean[a] += x[i, a] / n;
        var full = new double[d * d];
        for (var i = first; i < last; i++)
        for (var a = 0; a < d; a++)
        for (var b = 0; b < d; b++) full[a * d + b] += (x[i, a] - mean[a]) * (x[i, b] - mean[b]) / n;
        var diagonal = Enumerable.Range(0, d).Select(a => full[a * d + a]).ToArray();
        return (mean, type switch
        {
            CovarianceType.Full => full,
            CovarianceType.Diag => diagonal,
            _ => [diagonal.Average()],
        });
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void Drop_goes_on_with_the_others_and_records_the_event(CovarianceType type)
    {
        var (x, start) = OutlierCase(type);
        var fitted = TestData.Fit(x, Settings(start, DegeneratePolicy.Drop, maxIter: 4), shardRows: 50);

        Assert.Equal([new DegenerateEvent(1, 1, DegeneratePolicy.Drop)], fitted.DegenerateEvents);
        Assert.Equal(1, fitted.Mixture.Components);
        Assert.Equal(4, fitted.Iterations);
        // One component left: from iteration 2 on it is the mean and biased covariance of every row.
        var (mean, covariance) = Moments(x, 0, 201, type);
        Close.All(mean, fitted.Mixture.Means, 1e-10, "mean");
        Close.All(covariance, fitted.Mixture.Covariances, 1e-10, "covariance");
        Assert.Equal(1.0, fitted.Mixture.Weights[0]);
        // Iteration 1's log-likelihood is that of the start; the BIC counts the parameters of the one component left.
        Close.All([ReferenceAgreementTests.Reference(start).ScoreSamples(x).Average()], [fitted.LogLikelihoodHistory[0]], 1e-10, "first lower bound");
        Assert.Equal(ModelSelection.Bic(fitted.LogLikelihood, 201, ModelSelection.FreeParameters(type, 1, 3)), fitted.Bic, 9);
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void Reseed_restarts_the_component_at_the_row_of_lowest_log_likelihood(CovarianceType type)
    {
        var (x, start) = OutlierCase(type);
        var fitted = TestData.Fit(x, Settings(start, DegeneratePolicy.Reseed, maxIter: 1), shardRows: 50);

        Assert.Equal([new DegenerateEvent(1, 1, DegeneratePolicy.Reseed)], fitted.DegenerateEvents);
        var m = fitted.Mixture;
        Assert.Equal(2, m.Components);
        // The row the start model scores lowest, by the plain reference: the new mean, exactly.
        var scores = ReferenceAgreementTests.Reference(start).ScoreSamples(x);
        var lowest = Array.IndexOf(scores, scores.Min());
        Assert.NotEqual(0, lowest);
        Close.Bitwise(Enumerable.Range(0, 3).Select(a => x[lowest, a]).ToArray(), m.Means.AsSpan(3, 3).ToArray(), "reseeded mean");
        // Component 0 held the blob (the outlier's responsibility for it underflows to 0); the reseeded one takes its covariance.
        var (mean, covariance) = Moments(x, 1, 201, type);
        Close.All(mean, m.Means.AsSpan(0, 3).ToArray(), 1e-10, "component 0's mean");
        Close.All(covariance, m.Covariances.AsSpan(0, covariance.Length).ToArray(), 1e-10, "component 0's covariance");
        Close.Bitwise(m.Covariances.AsSpan(0, covariance.Length).ToArray(), m.Covariances.AsSpan(covariance.Length).ToArray(), "reseeded covariance");
        Assert.Equal([0.5, 0.5], m.Weights);
    }

    [Fact]
    public void Reseed_lets_a_long_fit_finish_with_every_event_recorded()
    {
        var (x, start) = OutlierCase(CovarianceType.Full);
        var fitted = TestData.Fit(x, Settings(start, DegeneratePolicy.Reseed, maxIter: 30) with { Tol = 1e-9 }, shardRows: 37);
        Assert.Equal(2, fitted.Mixture.Components);
        Assert.NotEmpty(fitted.DegenerateEvents);
        Assert.All(fitted.DegenerateEvents, e => Assert.Equal(DegeneratePolicy.Reseed, e.Action));
        Close.AllFinite(fitted.Mixture.Covariances, "covariances");
        Assert.True(double.IsFinite(fitted.LogLikelihood));

        var back = ModelFile.Parse(System.Text.Encoding.UTF8.GetBytes(ModelFile.ToJson(fitted)), "memory");
        Assert.Equal(fitted.DegenerateEvents, back.DegenerateEvents);
        Assert.Equal(DegeneratePolicy.Reseed, back.Settings!.OnDegenerate);
    }

    [Fact]
    public void The_default_still_stops_and_tied_always_does()
    {
        var (x, start) = OutlierCase(CovarianceType.Full);
        Assert.Throws<DegenerateComponentException>(() => TestData.Fit(x, Settings(start, DegeneratePolicy.Error, 3)));
        var rows = Enumerable.Range(0, 40).Select(i => new[] { (i % 2 == 0 ? 0.0 : 10.0) + 0.1 * (i % 7), 3.0 }).ToArray();
        var tied = TestData.StartModel(CovarianceType.Tied, [[0, 3], [10, 3]]);
        foreach (var policy in new[] { DegeneratePolicy.Reseed, DegeneratePolicy.Drop })
            Assert.Throws<DegenerateComponentException>(() => TestData.Fit(TestData.Rows(rows), Settings(tied, policy, 3)));
    }

    [Fact]
    public void A_model_file_with_a_malformed_event_is_refused()
    {
        var (x, start) = OutlierCase(CovarianceType.Diag);
        var json = ModelFile.ToJson(TestData.Fit(x, Settings(start, DegeneratePolicy.Drop, 2)));
        var broken = json.Replace("\"action\": \"drop\"", "\"action\": \"error\"");
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Parse(System.Text.Encoding.UTF8.GetBytes(broken), "m.json"));
        Assert.Contains("degenerate_events[0]", e.Message);
    }
}
