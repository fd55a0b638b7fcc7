using System.Diagnostics;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// Wall time to a converged model with the default settings (k-means start, tol 1e-3, max-iter 100), plain EM and
/// SQUAREM, on the overlapping data of <see cref="PassesBenchmark"/>, the initialisation included. The in-memory
/// fitter on every core: what <c>gmm fit</c> spends once its cache holds the data. <c>--write-data</c> leaves the
/// rows for scikit-learn (tests/benchmarks/time-to-converged.sh).
/// </summary>
public static class ConvergeBenchmark
{
    public const string Usage =
        "[--n N (200000)] [--d D (6)] [--k K (8)] [--covariance full|diag|spherical|tied (full)] [--tol T (1e-3)] [--max-iter M (100)] [--spread W (3)] " +
        "[--seed S (1)] [--runs R (3)] [--write-data FILE.f64]";

    public static int Run(BenchmarkArguments args)
    {
        var n = (long)args.Double("n", 200_000);
        var d = args.Int("d", 6);
        var k = args.Int("k", 8);
        var type = CovarianceTypeNames.Parse(args.String("covariance", "full"));
        var tol = args.Double("tol", 1e-3);
        var maxIter = args.Int("max-iter", 100);
        var spread = args.Double("spread", 3);
        var seed = args.Int("seed", 1);
        var runs = args.Int("runs", 3);
        var writeData = args.String("write-data", "");
        args.EnsureAllRead();

        var shards = EmBenchmark.SampleShards(PassesBenchmark.Overlapping(EmBenchmark.Mixtures(type, d, k, seed).Truth, spread / 8), n, 65_536, seed);
        if (writeData.Length > 0) EmBenchmark.WriteShards(writeData, shards);
        var columns = Enumerable.Range(0, d).Select(a => $"x{a}").ToArray();
        var settings = new FitSettings { Components = k, CovarianceType = type, Tol = tol, MaxIter = maxIter, Init = InitMethod.KMeans };
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, N = {n}, d = {d}, K = {k}, {type.ToName()}, tol {tol:G3}, max-iter {maxIter}, " +
                          $"init kmeans, median of {runs} runs");
        Console.WriteLine("fit           wall s (median)   passes   iterations   converged   mean log-lik");
        foreach (var (name, acceleration) in new[] { ("plain EM", Acceleration.None), ("squarem", Acceleration.Squarem) })
        {
            var seconds = new List<double>();
            FittedModel? model = null;
            for (var r = 0; r < runs; r++)
            {
                var started = Stopwatch.GetTimestamp();
                model = InMemoryFitter.Fit(shards, columns, settings with { Acceleration = acceleration });
                seconds.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            seconds.Sort();
            Console.WriteLine($"{name,-12} {seconds[seconds.Count / 2],16:F3} {model!.Passes,8} {model.Iterations,12} {model.Converged,11} {model.MeanLogLikelihood,14:F8}");
        }
        return 0;
    }
}
