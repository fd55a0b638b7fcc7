using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>scikit-learn's stopping rule: |Δ mean log-likelihood| &lt; tol, or max_iter.</summary>
public class ConvergenceTests
{
    private static readonly double[,] Data = TestData.Blobs(500, TestData.Centres3, 0.8, seed: 11);

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Stops_when_the_mean_log_likelihood_changes_less_than_tol(CovarianceType type)
    {
        const double tol = 1e-3;
        var start = TestData.StartModel(type, TestData.Perturbed(TestData.Centres3, 1.5));
        var reports = new List<IterationProgress>();
        var fitted = InMemoryFitter.Fit(TestData.Shards(Data, 97), TestData.Columns(3), TestData.FromStart(start, maxIter: 100, tol: tol),
            new Progress(reports));
        var reference = ReferenceAgreementTests.Reference(start);
        reference.Fit(Data, maxIter: 100, tol: tol, regCovar: 1e-6);

        Assert.True(fitted.Converged);
        Assert.True(fitted.Iterations > 2, "the test needs a few iterations");
        Assert.Equal(reference.NIter, fitted.Iterations);
        Assert.Equal(fitted.Iterations, fitted.LogLikelihoodHistory.Count);
        Close.All(reference.LowerBounds, fitted.LogLikelihoodHistory, 1e-10, "history");
        var h = fitted.LogLikelihoodHistory;
        Assert.True(Math.Abs(h[^1] - h[^2]) < tol);
        for (var i = 1; i < h.Count - 1; i++) Assert.True(Math.Abs(h[i] - h[i - 1]) >= tol, $"should have stopped at iteration {i + 1}");

        Assert.Equal(fitted.Iterations, reports.Count);
        Assert.Equal(Enumerable.Range(1, fitted.Iterations), reports.Select(r => r.Iteration));
        Assert.Equal(h, reports.Select(r => r.MeanLogLikelihood));
        Assert.Equal(h[^1] - h[^2], reports[^1].Change);
    }

    [Fact]
    public void Reaching_max_iter_is_not_convergence()
    {
        var start = TestData.StartModel(CovarianceType.Full, TestData.Perturbed(TestData.Centres3, 1.5));
        var fitted = TestData.Fit(Data, TestData.FromStart(start, maxIter: 2, tol: 1e-3));
        Assert.False(fitted.Converged);
        Assert.Equal(2, fitted.Iterations);
        Assert.Equal(2, fitted.LogLikelihoodHistory.Count);
    }

    [Fact]
    public void Tol_zero_runs_to_max_iter_and_the_likelihood_never_decreases()
    {
        var start = TestData.StartModel(CovarianceType.Full, TestData.Perturbed(TestData.Centres3, 1.5));
        var fitted = TestData.Fit(Data, TestData.FromStart(start, maxIter: 25, tol: 0));
        Assert.Equal(25, fitted.Iterations);
        Assert.False(fitted.Converged);
        var h = fitted.LogLikelihoodHistory;
        for (var i = 1; i < h.Count; i++) Assert.True(h[i] >= h[i - 1] - 1e-12, $"EM decreased at iteration {i + 1}");
        Assert.True(fitted.MeanLogLikelihood >= h[^1] - 1e-12);
    }

    [Fact]
    public void Tol_zero_never_converges_even_at_an_exact_fixed_point()
    {
        // One component reaches its closed form after one step: the likelihood then repeats exactly, a change of 0.
        var start = TestData.StartModel(CovarianceType.Diag, [[0, 0, 0]]);
        var fitted = TestData.Fit(Data, TestData.FromStart(start, maxIter: 6, tol: 0));
        Assert.Equal(fitted.LogLikelihoodHistory[^2], fitted.LogLikelihoodHistory[^1]);
        Assert.Equal(6, fitted.Iterations);
        Assert.False(fitted.Converged);
    }

    [Fact]
    public void A_finished_run_refuses_more_statistics()
    {
        var start = PreparedMixture.Prepare(TestData.StartModel(CovarianceType.Diag, TestData.Centres3));
        var run = new EmRun(start, TestData.FromStart(start.Mixture, maxIter: 1), 0);
        var shards = TestData.Shards(Data, 100);
        run.Advance(InMemoryFitter.Statistics(run.Current, shards), TimeSpan.Zero);
        Assert.True(run.Finished);
        Assert.Throws<InvalidOperationException>(() => run.Advance(InMemoryFitter.Statistics(run.Current, shards), TimeSpan.Zero));
    }

    /// <summary>A synchronous IProgress (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class Progress(List<IterationProgress> into) : IProgress<IterationProgress>
    {
        public void Report(IterationProgress value) => into.Add(value);
    }
}
