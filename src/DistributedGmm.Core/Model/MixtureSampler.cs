using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;

namespace DistributedGmm.Core.Model;

/// <summary>
/// Draws rows from a mixture, seeded: a component by its weight, then μ + L·z with L the Cholesky factor of
/// its covariance and z standard normal. Streams: rows come in blocks of any size, with no per-row allocation.
/// </summary>
public sealed class MixtureSampler
{
    private readonly GaussianMixture _mixture;
    private readonly DeterministicRandom _random;
    private readonly double[] _cumulativeWeights;
    private readonly double[] _lowerFactors; // K × d × d, row-major lower triangles
    private readonly double[] _z;

    public MixtureSampler(GaussianMixture mixture, long seed)
    {
        _mixture = mixture;
        _random = new DeterministicRandom(seed);
        int k = mixture.Components, d = mixture.Dimensions;
        _cumulativeWeights = new double[k];
        double total = 0;
        for (var c = 0; c < k; c++) _cumulativeWeights[c] = total += mixture.Weights[c];
        for (var c = 0; c < k; c++) _cumulativeWeights[c] /= total;
        _lowerFactors = new double[k * d * d];
        for (var c = 0; c < k; c++)
        {
            var covariance = mixture.CovarianceMatrix(c);
            var flat = new double[d * d];
            for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
                flat[a * d + b] = covariance[a, b];
            if (!Cholesky.TryDecompose(flat, d, _lowerFactors.AsSpan(c * d * d, d * d)))
                throw new ArgumentException($"component {c}'s covariance is not positive definite: cannot sample from it");
        }
        _z = new double[d];
    }

    public GaussianMixture Mixture => _mixture;

    /// <summary>Fills <paramref name="rows"/> (row-major, rows.Length / d rows) and, when not empty, the true component of each row.</summary>
    public void Sample(Span<double> rows, Span<int> components)
    {
        var d = _mixture.Dimensions;
        if (rows.Length % d != 0) throw new ArgumentException($"the buffer holds {rows.Length} values, not a whole number of {d}-value rows");
        var n = rows.Length / d;
        if (!components.IsEmpty && components.Length < n) throw new ArgumentException("the label buffer is shorter than the rows");
        for (var i = 0; i < n; i++)
        {
            var c = PickComponent(_random.NextDouble());
            if (!components.IsEmpty) components[i] = c;
            for (var a = 0; a < d; a++) _z[a] = _random.NextGaussian();
            var row = rows.Slice(i * d, d);
            var mean = _mixture.Mean(c);
            var lower = _lowerFactors.AsSpan(c * d * d, d * d);
            for (var a = 0; a < d; a++)
            {
                var sum = mean[a];
                for (var b = 0; b <= a; b++) sum += lower[a * d + b] * _z[b];
                row[a] = sum;
            }
        }
    }

    /// <summary>Draws <paramref name="count"/> rows as a new block.</summary>
    public RowBlock Sample(int count, int[]? components = null)
    {
        var values = new double[count * _mixture.Dimensions];
        Sample(values, components);
        return new RowBlock(values, count, _mixture.Dimensions);
    }

    private int PickComponent(double u)
    {
        var c = Array.BinarySearch(_cumulativeWeights, u);
        if (c < 0) c = ~c;
        // u < 1 = the last cumulative weight up to rounding; guard that rounding.
        return Math.Min(c < _cumulativeWeights.Length && _cumulativeWeights[c] == u ? c + 1 : c, _cumulativeWeights.Length - 1);
    }
}
