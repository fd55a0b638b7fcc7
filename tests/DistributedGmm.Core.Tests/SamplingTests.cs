using DistributedGmm.Core.Model;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Core.Tests;

/// <summary>MixtureSampler: seeded, and its draws have the model's moments.</summary>
public class SamplingTests
{
    private static GaussianMixture Known(CovarianceType type) => type switch
    {
        CovarianceType.Full => new(type, 2, 2, [0.3, 0.7], [-2, 1, 3, 5], [1.0, 0.6, 0.6, 2.0, 0.5, -0.3, -0.3, 4.0]),
        CovarianceType.Tied => new(type, 2, 2, [0.3, 0.7], [-2, 1, 3, 5], [2.0, -0.8, -0.8, 1.5]),
        CovarianceType.Diag => new(type, 2, 2, [0.3, 0.7], [-2, 1, 3, 5], [1.0, 3.0, 0.25, 2.0]),
        _ => new(type, 2, 2, [0.3, 0.7], [-2, 1, 3, 5], [1.0, 2.5]),
    };

    [Fact]
    public void A_seed_gives_the_same_rows_and_another_seed_others()
    {
        var model = Known(CovarianceType.Full);
        var a = new MixtureSampler(model, 42).Sample(1000);
        var b = new MixtureSampler(model, 42).Sample(1000);
        var c = new MixtureSampler(model, 43).Sample(1000);
        Close.Bitwise(a.Values, b.Values);
        Assert.NotEqual(a.Values, c.Values);
    }

    [Fact]
    public void Blocks_of_any_size_continue_one_stream()
    {
        var model = Known(CovarianceType.Diag);
        var whole = new MixtureSampler(model, 7).Sample(301);
        var sampler = new MixtureSampler(model, 7);
        var parts = new[] { 100, 1, 200 }.SelectMany(n => sampler.Sample(n).Values).ToArray();
        Close.Bitwise(whole.Values, parts);
    }

    [Theory, MemberData(nameof(ReferenceAgreementTests.AllTypes), MemberType = typeof(ReferenceAgreementTests))]
    public void Two_hundred_thousand_draws_have_the_true_moments(CovarianceType type)
    {
        const int n = 200_000;
        var model = Known(type);
        var labels = new int[n];
        var x = new MixtureSampler(model, 2024).Sample(n, labels).Values;
        var truth = ReferenceAgreementTests.Reference(model);

        for (var c = 0; c < 2; c++)
        {
            var rows = Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray();
            var count = rows.Length;
            // Component frequency: binomial standard error.
            Assert.Equal(model.Weights[c], count / (double)n, 5 * Math.Sqrt(0.21 / n));
            var sigma = truth.Covariances[c];
            var mean = new double[2];
            for (var a = 0; a < 2; a++) mean[a] = rows.Average(i => x[2 * i + a]);
            for (var a = 0; a < 2; a++) Assert.Equal(model.Means[2 * c + a], mean[a], 5 * Math.Sqrt(sigma[a, a] / count));
            for (var a = 0; a < 2; a++)
            for (var b = 0; b < 2; b++)
            {
                var covariance = rows.Sum(i => (x[2 * i + a] - mean[a]) * (x[2 * i + b] - mean[b])) / count;
                var standardError = Math.Sqrt((sigma[a, a] * sigma[b, b] + sigma[a, b] * sigma[a, b]) / count);
                Assert.Equal(sigma[a, b], covariance, 5 * standardError);
            }
        }
    }

    [Fact]
    public void A_covariance_that_is_not_positive_definite_cannot_be_sampled()
    {
        var bad = new GaussianMixture(CovarianceType.Full, 1, 2, [1.0], [0, 0], [1, 2, 2, 1]);
        Assert.Throws<ArgumentException>(() => new MixtureSampler(bad, 1));
    }
}
