namespace DistributedGmm.Cli.Tests;

/// <summary>The plot's n-σ ellipse against its closed form: every point p has (p − c)ᵀ Σ⁻¹ (p − c) = n².</summary>
public sealed class EllipseTests
{
    [Theory]
    [InlineData(4.0, 0.0, 1.0, 1.0)]
    [InlineData(1.0, 0.0, 9.0, 2.0)]
    [InlineData(2.0, 1.5, 3.0, 1.0)]
    [InlineData(2.0, -1.9, 2.0, 2.0)]
    [InlineData(1e-6, 0.0, 1e6, 1.0)]
    public void Every_point_lies_at_n_standard_deviations(double a, double b, double c, double sigmas)
    {
        var (xs, ys) = Plots.Ellipse(3, -2, (a, b, c), sigmas);
        var det = a * c - b * b;
        for (var i = 0; i < xs.Length; i++)
        {
            double u = xs[i] - 3, v = ys[i] + 2;
            var mahalanobis = (c * u * u - 2 * b * u * v + a * v * v) / det;
            Assert.Equal(sigmas * sigmas, mahalanobis, 1e-9 * sigmas * sigmas);
        }
        Assert.Equal(xs[0], xs[^1], 12);
        Assert.Equal(ys[0], ys[^1], 12);
    }
}
