using System.Diagnostics;
using System.Globalization;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// What sample weights cost the E-step: one E-step over every shard (<see cref="InMemoryFitter.Statistics"/>) of the
/// same rows unweighted, with weights all 1 and with random weights, taken in turn so that the machine's drift hits
/// all three alike; prints each one's median seconds and its ratio to the unweighted one.
/// </summary>
public static class WeightsBenchmark
{
    public const string Usage = "[--n N (1e6)] [--d D (16)] [--k K (16)] [--covariance full|diag|spherical|tied (full)] [--repeats R (9)]";

    public static int Run(BenchmarkArguments args)
    {
        var n = (long)args.Double("n", 1e6);
        var d = args.Int("d", 16);
        var k = args.Int("k", 16);
        var type = CovarianceTypeNames.Parse(args.String("covariance", "full"));
        var repeats = args.Int("repeats", 9);
        args.EnsureAllRead();

        var random = new Random(3);
        var means = Enumerable.Range(0, k * d).Select(_ => 4 * random.NextDouble()).ToArray();
        var covariances = new double[type.CovarianceLength(k, d)];
        var matrices = type switch { CovarianceType.Full => k, CovarianceType.Tied => 1, _ => 0 };
        for (var c = 0; c < matrices; c++)
        for (var a = 0; a < d; a++) covariances[(c * d + a) * d + a] = 1;
        if (matrices == 0) Array.Fill(covariances, 1.0);
        var mixture = new GaussianMixture(type, k, d, Enumerable.Repeat(1.0 / k, k).ToArray(), means, covariances);
        var sampler = new MixtureSampler(mixture, 5);
        var plain = new List<RowBlock>();
        for (long made = 0; made < n; made += 65536) plain.Add(sampler.Sample((int)Math.Min(65536, n - made)));
        var ones = plain.Select(b => new RowBlock(b.Values, b.Rows, b.Dimensions, Enumerable.Repeat(1.0, b.Rows).ToArray())).ToArray();
        var weighted = plain.Select(b => new RowBlock(b.Values, b.Rows, b.Dimensions,
            Enumerable.Range(0, b.Rows).Select(_ => 3 * random.NextDouble()).ToArray())).ToArray();
        var model = PreparedMixture.Prepare(mixture);

        var variants = new (string Name, IReadOnlyList<RowBlock> Shards)[] { ("unweighted", plain), ("weights 1", ones), ("random weights", weighted) };
        var seconds = variants.Select(_ => new List<double>()).ToArray();
        foreach (var (_, shards) in variants) InMemoryFitter.Statistics(model, shards); // warm-up
        for (var r = 0; r < repeats; r++)
        for (var v = 0; v < variants.Length; v++)
        {
            var started = Stopwatch.GetTimestamp();
            InMemoryFitter.Statistics(model, variants[v].Shards);
            seconds[v].Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        var baseline = Median(seconds[0]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"E-step, n = {n:N0}, d = {d}, K = {k}, {type.ToName()}, {Environment.ProcessorCount} threads, kernel {EStep.KernelName}, median of {repeats}"));
        for (var v = 0; v < variants.Length; v++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name,-15} {Median(seconds[v]):F4} s  ×{Median(seconds[v]) / baseline:F3}"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
