using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// The factorisation behind every precision factor: against a plain textbook loop written here (same digits, so
/// models keep their bits), the identity A = L·Lᵀ, U·Uᵀ = A⁻¹, and refusals of what is not positive definite.
/// </summary>
public sealed class CholeskyTests
{
    private static double[] RandomSpd(int d, Random random)
    {
        var b = new double[d * d];
        for (var i = 0; i < b.Length; i++) b[i] = random.NextDouble() * 2 - 1;
        var a = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                double s = i == j ? 0.1 : 0;
                for (var p = 0; p < d; p++) s += b[i * d + p] * b[j * d + p];
                a[i * d + j] = s;
            }
        return a;
    }

    private static double[] TextbookLower(double[] a, int d)
    {
        var l = new double[d * d];
        for (var j = 0; j < d; j++)
        {
            var sum = a[j * d + j];
            for (var p = 0; p < j; p++) sum -= l[j * d + p] * l[j * d + p];
            l[j * d + j] = Math.Sqrt(sum);
            for (var i = j + 1; i < d; i++)
            {
                var s = a[i * d + j];
                for (var p = 0; p < j; p++) s -= l[i * d + p] * l[j * d + p];
                l[i * d + j] = s / l[j * d + j];
            }
        }
        return l;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(64)]
    public void Factor_has_the_textbook_loops_digits_and_reproduces_the_matrix(int d)
    {
        var random = new Random(d);
        for (var trial = 0; trial < 5; trial++)
        {
            var a = RandomSpd(d, random);
            var lower = new double[d * d];
            Assert.True(Cholesky.TryDecompose(a, d, lower));
            Assert.Equal(TextbookLower(a, d), lower);

            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                {
                    double s = 0;
                    for (var p = 0; p < d; p++) s += lower[i * d + p] * lower[j * d + p];
                    Assert.Equal(a[i * d + j], s, 1e-12 * d);
                }

            var upper = new double[d * d];
            Cholesky.PrecisionFactorFromLower(lower, d, upper);
            // U·Uᵀ·A = I
            var uut = new double[d * d];
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                {
                    double s = 0;
                    for (var p = 0; p < d; p++) s += upper[i * d + p] * upper[j * d + p];
                    uut[i * d + j] = s;
                }
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                {
                    double s = 0;
                    for (var p = 0; p < d; p++) s += uut[i * d + p] * a[p * d + j];
                    Assert.Equal(i == j ? 1.0 : 0.0, s, 1e-8);
                }
        }
    }

    [Fact]
    public void Reads_only_the_lower_triangle()
    {
        double[] a = [4, 999, 2, 3];
        var lower = new double[4];
        Assert.True(Cholesky.TryDecompose(a, 2, lower));
        Assert.Equal(new[] { 2.0, 0, 1, Math.Sqrt(2) }, lower);
    }

    [Theory]
    [InlineData(1, -1, 1)] // indefinite
    [InlineData(1, 1, 1)] // singular
    [InlineData(double.NaN, 0, 1)]
    [InlineData(double.PositiveInfinity, 0, 1)]
    [InlineData(1, double.NaN, 1)]
    public void Refuses_what_is_not_positive_definite(double a00, double a10, double a11)
    {
        double[] a = [a00, 0, a10, a11];
        Assert.False(Cholesky.TryDecompose(a, 2, new double[4]));
    }
}
