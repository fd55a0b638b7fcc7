using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Data;

/// <summary>A random true model for synthetic data: every parameter drawn from one seeded generator.</summary>
internal static class RandomMixture
{
    public static GaussianMixture Draw(int components, int dimensions, double separation, DeterministicRandom random)
    {
        int k = components, d = dimensions;
        // 0.5 + U(0,1), normalised: no weight below a third of another, so every component is seen.
        var weights = new double[k];
        for (var c = 0; c < k; c++) weights[c] = 0.5 + random.NextDouble();
        var total = weights.Sum();
        for (var c = 0; c < k; c++) weights[c] /= total;

        var means = new double[k * d];
        for (var i = 0; i < means.Length; i++) means[i] = separation * random.NextGaussian();

        // A·Aᵀ with A's entries N(0, 1/d) has eigenvalues in about [0, 4]; adding 0.5·I keeps each
        // covariance safely positive definite while its orientation and shape stay random.
        var covariances = new double[k * d * d];
        var a = new double[d * d];
        for (var c = 0; c < k; c++)
        {
            for (var i = 0; i < a.Length; i++) a[i] = random.NextGaussian() / Math.Sqrt(d);
            var sigma = covariances.AsSpan(c * d * d, d * d);
            for (var r = 0; r < d; r++)
            for (var s = 0; s <= r; s++)
            {
                double sum = r == s ? 0.5 : 0;
                for (var p = 0; p < d; p++) sum += a[r * d + p] * a[s * d + p];
                sigma[r * d + s] = sigma[s * d + r] = sum;
            }
        }
        return new GaussianMixture(CovarianceType.Full, k, d, weights, means, covariances);
    }
}
