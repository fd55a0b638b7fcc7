using System.Runtime.Intrinsics;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// The vectorised E-step kernels against a plain scalar E-step kept here, on every instruction set this machine
/// runs (the scalar path always: it is the fallback of machines without vectors). Each statistic must agree to
/// 1e-12 of the sum of the absolute values of its terms, the accuracy a reordered sum can promise.
/// </summary>
public class KernelAgreementTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<CovarianceType, int, int, int, double> Cases()
    {
        var data = new TheoryData<CovarianceType, int, int, int, double>();
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diag, CovarianceType.Spherical })
        {
            foreach (var d in new[] { 1, 2, 3, 7, 16, 17, 64 })
                data.Add(type, d, d == 64 ? 3 : 5, 300, 0);
            data.Add(type, 5, 1, 1, 0);
            data.Add(type, 9, 13, 37, 0);
            data.Add(type, 7, 4, 257, 1e6);
            data.Add(type, 17, 3, 129, 1e6);
        }
        return data;
    }

    internal static IEnumerable<KernelPath> Paths()
    {
        yield return KernelPath.Scalar;
        if (Vector256.IsHardwareAccelerated) yield return KernelPath.Vector256;
        if (Vector512.IsHardwareAccelerated) yield return KernelPath.Vector512;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StatisticsAgreeWithScalarReference(CovarianceType type, int d, int k, int rows, double shift)
    {
        var (model, block) = Problem(type, d, k, rows, shift, seed: d * 100 + k);
        var (expected, magnitude) = ReferenceStatistics(model, block);
        foreach (var path in Paths())
        {
            var actual = EStep.Compute(model, block, path);
            Assert.Equal(expected.Rows, actual.Rows);
            Assert.Equal(expected.Samples, actual.Samples);
            for (var i = 1; i < expected.Values.Length; i++)
            {
                var bound = Tolerance * magnitude[i];
                Assert.True(Math.Abs(actual.Values[i] - expected.Values[i]) <= bound,
                    $"{path}: entry {i} is {actual.Values[i]:R}, expected {expected.Values[i]:R} (bound {bound:E2})");
            }
        }
    }

    /// <summary>
    /// Sample weights (fractional, some 0) enter every sum of every kernel path: r_ik·w_i, Σ w_i log p(x_i), Σ w_i,
    /// as the plain per-row reference adds them.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void WeightedStatisticsAgreeWithScalarReference(CovarianceType type, int d, int k, int rows, double shift)
    {
        var (model, unweighted) = Problem(type, d, k, rows, shift, seed: d * 100 + k + 2);
        var random = new Random(rows + d);
        var weights = Enumerable.Range(0, rows).Select(i => i % 5 == 3 ? 0 : 4 * random.NextDouble()).ToArray();
        var block = new RowBlock(unweighted.Values, rows, d, weights);
        var (expected, magnitude) = ReferenceStatistics(model, block);
        Assert.Equal(weights.Sum(), expected.Samples, 12);
        foreach (var path in Paths())
        {
            var actual = EStep.Compute(model, block, path);
            Assert.Equal(expected.Rows, actual.Rows);
            Assert.True(Math.Abs(actual.Samples - expected.Samples) <= 1e-13 * expected.Samples, $"{path}: Σw {actual.Samples:R}, expected {expected.Samples:R}");
            for (var i = 1; i < expected.Values.Length; i++)
            {
                var bound = Tolerance * magnitude[i];
                Assert.True(Math.Abs(actual.Values[i] - expected.Values[i]) <= bound,
                    $"{path}: entry {i} is {actual.Values[i]:R}, expected {expected.Values[i]:R} (bound {bound:E2})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogDensitiesAndScoresAgreeWithScalarReference(CovarianceType type, int d, int k, int rows, double shift)
    {
        var (model, block) = Problem(type, d, k, rows, shift, seed: d * 100 + k + 1);
        var expected = new double[rows * k];
        for (var i = 0; i < rows; i++) ReferenceLogDensities(model, block.Row(i), expected.AsSpan(i * k, k));
        var expectedLl = new double[rows];
        var expectedProbabilities = (double[])expected.Clone();
        for (var i = 0; i < rows; i++) expectedLl[i] = ReferenceNormalize(expectedProbabilities.AsSpan(i * k, k));
        foreach (var path in Paths())
        {
            var actual = new double[rows * k];
            ComponentLogDensity.Compute(model, block.Span, rows, actual, path);
            for (var i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"{path}: log density {i}: {actual[i]:R} vs {expected[i]:R}");

            var ll = new double[rows];
            var probabilities = new double[rows * k];
            var labels = new int[rows];
            var total = new MixtureScorer(model).Score(block, ll, probabilities, labels, path);
            for (var i = 0; i < rows; i++)
            {
                Assert.True(Math.Abs(ll[i] - expectedLl[i]) <= 1e-12 * Math.Max(1, Math.Abs(expectedLl[i])), $"{path}: row {i} log-likelihood");
                for (var c = 0; c < k; c++)
                    Assert.True(Math.Abs(probabilities[i * k + c] - expectedProbabilities[i * k + c]) <= 1e-12, $"{path}: row {i} responsibility {c}");
                Assert.True(probabilities[i * k + labels[i]] >= expectedProbabilities.AsSpan(i * k, k).ToArray().Max() - 1e-12);
            }
            Assert.True(Math.Abs(total - expectedLl.Sum()) <= 1e-12 * expectedLl.Sum(Math.Abs));
        }
    }

    [Fact]
    public void VectorExpAgreesWithMathExp()
    {
        var random = new Random(5);
        var xs = new List<double> { 0, -0.0, -1e-300, -0.5 * Math.Log(2), -Math.Log(2), -1, -700, -707.9, -708, -708.1, -745, -1e300, double.NegativeInfinity };
        for (var i = 0; i < 20000; i++) xs.Add(-720 * random.NextDouble());
        for (var i = 0; i < 2000; i++) xs.Add(-random.NextDouble() * 1e-3);
        foreach (var x in xs)
        {
            var expected = ScalarLanes.Exp(x);
            var v512 = Lanes512.Exp(Vector512.Create(x)).GetElement(0);
            var v256 = Lanes256.Exp(Vector256.Create(x)).GetElement(0);
            foreach (var actual in new[] { v512, v256 })
                Assert.True(Math.Abs(actual - expected) <= 4e-16 * expected, $"exp({x:R}) = {actual:R}, expected {expected:R}");
        }
        Assert.True(double.IsNaN(Lanes512.Exp(Vector512.Create(double.NaN)).GetElement(0)));
    }

    [Fact]
    public void VectorLogIsWithinAnUlpOfMathLog()
    {
        var random = new Random(6);
        var xs = new List<double> { 1, Math.BitIncrement(1), Math.BitDecrement(1), Math.Sqrt(2), Math.BitDecrement(Math.Sqrt(2)), Math.Sqrt(0.5), 2, 16, 0.5, 1e-300, double.Epsilon, 4.9e-320, double.MaxValue };
        for (var i = 0; i < 20000; i++) xs.Add(1 + 15 * random.NextDouble());
        for (var i = 0; i < 2000; i++) xs.Add(1 + random.NextDouble() * 1e-6);
        for (var i = 0; i < 5000; i++) xs.Add(Math.Exp(1400 * random.NextDouble() - 700));
        foreach (var x in xs)
        {
            var expected = Math.Log(x);
            var actual = Lanes512.Log(Vector512.Create(x)).GetElement(0);
            var ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
            Assert.True(Math.Abs(actual - expected) <= ulp, $"log({x:R}) = {actual:R}, expected {expected:R}");
        }
        Assert.Equal(double.NegativeInfinity, Lanes512.Log(Vector512.Create(0.0)).GetElement(0));
        Assert.Equal(double.PositiveInfinity, Lanes512.Log(Vector512.Create(double.PositiveInfinity)).GetElement(0));
        Assert.True(double.IsNaN(Lanes512.Log(Vector512.Create(double.NaN)).GetElement(0)));
        Assert.True(double.IsNaN(Lanes512.Log(Vector512.Create(-1.0)).GetElement(0)));
    }

    [Fact]
    public void EveryThreadComputesTheSameBits()
    {
        var (model, block) = Problem(CovarianceType.Full, 17, 6, 1000, 1e3, seed: 7);
        foreach (var path in Paths())
        {
            var first = EStep.Compute(model, block, path).Values;
            var others = Enumerable.Range(0, 8).AsParallel().Select(_ => EStep.Compute(model, block, path).Values).ToArray();
            foreach (var other in others) Assert.Equal(first, other);
        }
    }

    [Fact]
    public void AccumulateAddsOntoExistingStatistics()
    {
        var (model, block) = Problem(CovarianceType.Diag, 3, 2, 50, 0, seed: 3);
        var once = EStep.Compute(model, block);
        var twice = EStep.Compute(model, block);
        EStep.Accumulate(model, block, twice);
        var sums = once.Values.Length - 1 - once.Dimensions;
        for (var i = 0; i < sums; i++) Assert.Equal(2 * once.Values[i], twice.Values[i], 12);
        // The lowest row is not a sum: the same row, whichever pass saw it.
        Assert.Equal(once.LowestLogLikelihood, twice.LowestLogLikelihood);
        Assert.Equal(once.LowestRow.ToArray(), twice.LowestRow.ToArray());
    }

    internal static (PreparedMixture Model, RowBlock Block) Problem(CovarianceType type, int d, int k, int rows, double shift, int seed)
    {
        var random = new Random(seed);
        var weights = new double[k];
        for (var c = 0; c < k; c++) weights[c] = 0.5 + random.NextDouble();
        var total = weights.Sum();
        for (var c = 0; c < k; c++) weights[c] /= total;
        var means = new double[k * d];
        for (var i = 0; i < means.Length; i++) means[i] = 3 * (random.NextDouble() - 0.5) + shift;
        var covariances = new double[type.CovarianceLength(k, d)];
        switch (type)
        {
            case CovarianceType.Full:
                for (var c = 0; c < k; c++) RandomSpd(random, d, covariances.AsSpan(c * d * d, d * d));
                break;
            case CovarianceType.Tied:
                RandomSpd(random, d, covariances);
                break;
            default:
                for (var i = 0; i < covariances.Length; i++) covariances[i] = 0.2 + random.NextDouble();
                break;
        }
        var mixture = new GaussianMixture(type, k, d, weights, means, covariances);
        var block = new MixtureSampler(mixture, seed).Sample(rows);
        return (PreparedMixture.Prepare(mixture), block);
    }

    private static void RandomSpd(Random random, int d, Span<double> target)
    {
        var a = new double[d * d];
        for (var i = 0; i < a.Length; i++) a[i] = random.NextDouble() - 0.5;
        for (var i = 0; i < d; i++)
        for (var j = 0; j < d; j++)
        {
            double sum = i == j ? 0.3 : 0;
            for (var p = 0; p < d; p++) sum += a[i * d + p] * a[j * d + p] / d;
            target[i * d + j] = sum;
        }
    }

    /// <summary>The weighted log densities of one row, one component at a time, as the first scalar E-step did.</summary>
    internal static void ReferenceLogDensities(PreparedMixture model, ReadOnlySpan<double> x, Span<double> output)
    {
        int k = model.Components, d = model.Dimensions;
        var constant = -0.5 * d * PreparedMixture.Log2Pi;
        var f = model.PrecisionFactors;
        var y = new double[d];
        for (var c = 0; c < k; c++)
        {
            var mean = model.Means.AsSpan(c * d, d);
            double distance = 0;
            switch (model.CovarianceType)
            {
                case CovarianceType.Full:
                case CovarianceType.Tied:
                    var offset = model.CovarianceType == CovarianceType.Full ? c * d * d : 0;
                    Array.Clear(y);
                    for (var a = 0; a < d; a++)
                    for (var b = a; b < d; b++)
                        y[b] += (x[a] - mean[a]) * f[offset + a * d + b];
                    foreach (var v in y) distance += v * v;
                    break;
                default:
                    for (var a = 0; a < d; a++)
                    {
                        var u = model.CovarianceType == CovarianceType.Diag ? f[c * d + a] : f[c];
                        var z = (x[a] - mean[a]) * u;
                        distance += z * z;
                    }
                    break;
            }
            output[c] = constant - 0.5 * distance + model.LogDetPrecisionFactors[c] + model.LogWeights[c];
        }
    }

    internal static double ReferenceNormalize(Span<double> row)
    {
        var max = double.NegativeInfinity;
        foreach (var v in row) max = Math.Max(max, v);
        double sum = 0;
        for (var c = 0; c < row.Length; c++) sum += row[c] = Math.Exp(row[c] - max);
        for (var c = 0; c < row.Length; c++) row[c] /= sum;
        return max + Math.Log(sum);
    }

    /// <summary>The scalar E-step, and beside every entry the sum of the absolute values of its terms.</summary>
    internal static (SufficientStatistics Stats, double[] Magnitude) ReferenceStatistics(PreparedMixture model, RowBlock block)
    {
        int k = model.Components, d = model.Dimensions;
        var stats = new SufficientStatistics(model.CovarianceType, k, d);
        var magnitude = new SufficientStatistics(model.CovarianceType, k, d);
        var full = SufficientStatistics.StoresFullSecondMoment(model.CovarianceType);
        var row = new double[k];
        var diff = new double[d];
        for (var i = 0; i < block.Rows; i++)
        {
            var x = block.Row(i);
            ReferenceLogDensities(model, x, row);
            var w = block.Weight(i);
            var rowLogLikelihood = ReferenceNormalize(row);
            var ll = w == 0 ? 0 : w * rowLogLikelihood;
            stats.LogLikelihood += ll;
            magnitude.LogLikelihood += Math.Abs(ll);
            stats.Samples += w;
            magnitude.Samples += w;
            if (w != 0) stats.OfferLowest(rowLogLikelihood, x);
            for (var c = 0; c < k; c++)
            {
                var r = w * row[c];
                for (var a = 0; a < d; a++) diff[a] = x[a] - model.Means[c * d + a];
                stats.Weights[c] += r;
                magnitude.Weights[c] += r;
                for (var a = 0; a < d; a++)
                {
                    stats.FirstMoment(c)[a] += r * diff[a];
                    magnitude.FirstMoment(c)[a] += Math.Abs(r * diff[a]);
                }
                var q = stats.SecondMoment(c);
                var m = magnitude.SecondMoment(c);
                var spherical = model.CovarianceType == CovarianceType.Spherical;
                for (var a = 0; a < d; a++)
                for (var b = a; b < (full ? d : a + 1); b++)
                {
                    var index = full ? SufficientStatistics.UpperIndex(a, b, d) : spherical ? 0 : a;
                    q[index] += r * diff[a] * diff[b];
                    m[index] += Math.Abs(r * diff[a] * diff[b]);
                }
            }
        }
        stats.Rows = block.Rows;
        magnitude.Rows = block.Rows;
        // Entries whose terms all vanish must come out exactly 0; give them the scale of the row count's unit.
        var bound = magnitude.Values;
        // The lowest row's log-likelihood and values: as large as themselves (the same row, rounded alike or not).
        var lowest = bound.Length - 1 - d;
        bound[lowest] = Math.Abs(stats.LowestLogLikelihood);
        for (var a = 0; a < d; a++) bound[lowest + 1 + a] = Math.Abs(stats.LowestRow[a]);
        for (var i = 0; i < bound.Length; i++) bound[i] = Math.Max(bound[i], double.Epsilon);
        return (stats, bound);
    }
}
