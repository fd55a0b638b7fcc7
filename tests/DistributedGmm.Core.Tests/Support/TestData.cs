using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Tests.Support;

/// <summary>Synthetic data from System.Random (not Core's generator), as double[,] for the reference and RowBlocks for Core.</summary>
public static class TestData
{
    public static readonly double[][] Centres3 = [[0, 0, 0], [4, 1, -2], [-3, 3, 1]];

    /// <summary>
    /// n rows from blobs around <paramref name="centres"/>; row i belongs to blob i mod K. Each blob is
    /// centre + A_c·z with a fixed lower-triangular A_c (so covariances are correlated and differ).
    /// </summary>
    public static double[,] Blobs(int n, double[][] centres, double scale, int seed, double offset = 0)
    {
        var random = new Random(seed);
        int k = centres.Length, d = centres[0].Length;
        var x = new double[n, d];
        var z = new double[d];
        for (var i = 0; i < n; i++)
        {
            var c = i % k;
            for (var a = 0; a < d; a++) z[a] = Gaussian(random);
            for (var a = 0; a < d; a++)
            {
                var v = centres[c][a];
                for (var b = 0; b <= a; b++) v += scale * Mixing(c, a, b) * z[b];
                x[i, a] = v + offset;
            }
        }
        return x;
    }

    private static double Mixing(int c, int a, int b) => a == b ? 1.0 + 0.3 * ((c + a) % 3) : 0.25 * ((c + 2 * a + b) % 3 - 1);

    public static double Gaussian(Random random)
    {
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    public static double[,] Shifted(double[,] x, double offset)
    {
        var y = (double[,])x.Clone();
        for (var i = 0; i < y.GetLength(0); i++)
        for (var a = 0; a < y.GetLength(1); a++) y[i, a] += offset;
        return y;
    }

    public static double[,] Rows(params double[][] rows)
    {
        var x = new double[rows.Length, rows[0].Length];
        for (var i = 0; i < rows.Length; i++)
        for (var a = 0; a < rows[0].Length; a++) x[i, a] = rows[i][a];
        return x;
    }

    public static RowBlock Block(double[,] x, int first = 0, int count = -1)
    {
        int d = x.GetLength(1);
        if (count < 0) count = x.GetLength(0) - first;
        var values = new double[count * d];
        for (var i = 0; i < count; i++)
        for (var a = 0; a < d; a++) values[i * d + a] = x[first + i, a];
        return new RowBlock(values, count, d);
    }

    /// <summary>The rows cut into consecutive shards of at most <paramref name="shardRows"/> rows.</summary>
    public static RowBlock[] Shards(double[,] x, int shardRows)
    {
        var n = x.GetLength(0);
        var shards = new List<RowBlock>();
        for (var first = 0; first < n; first += shardRows) shards.Add(Block(x, first, Math.Min(shardRows, n - first)));
        return shards.ToArray();
    }

    public static string[] Columns(int d) => Enumerable.Range(0, d).Select(a => $"x{a}").ToArray();

    /// <summary>A start model: weights 1/K, the given means (plus offset), unit covariances of the given type.</summary>
    public static GaussianMixture StartModel(CovarianceType type, double[][] means, double offset = 0, double variance = 1)
    {
        int k = means.Length, d = means[0].Length;
        var weights = Enumerable.Repeat(1.0 / k, k).ToArray();
        var flatMeans = means.SelectMany(m => m.Select(v => v + offset)).ToArray();
        var covariances = new double[type.CovarianceLength(k, d)];
        switch (type)
        {
            case CovarianceType.Full:
                for (var c = 0; c < k; c++)
                for (var a = 0; a < d; a++) covariances[(c * d + a) * d + a] = variance;
                break;
            case CovarianceType.Tied:
                for (var a = 0; a < d; a++) covariances[a * d + a] = variance;
                break;
            default:
                Array.Fill(covariances, variance);
                break;
        }
        return new GaussianMixture(type, k, d, weights, flatMeans, covariances);
    }

    /// <summary>The true centres moved a little, so EM has work to do.</summary>
    public static double[][] Perturbed(double[][] centres, double by = 0.7) =>
        centres.Select((m, c) => m.Select((v, a) => v + by * ((c + a) % 2 == 0 ? 1 : -1)).ToArray()).ToArray();

    public static FitSettings FromStart(GaussianMixture start, int maxIter = 20, double tol = 0, double regCovar = 1e-6) => new()
    {
        Components = start.Components,
        CovarianceType = start.CovarianceType,
        InitModel = start,
        MaxIter = maxIter,
        Tol = tol,
        RegCovar = regCovar,
    };

    public static FittedModel Fit(double[,] x, FitSettings settings, int shardRows = 97) =>
        InMemoryFitter.Fit(Shards(x, shardRows), Columns(x.GetLength(1)), settings);
}
