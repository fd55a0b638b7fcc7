using System.Diagnostics;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// Data passes to a converged model, plain EM against SQUAREM from the same starts, on overlapping components:
/// <see cref="EmBenchmark.Mixtures"/>'s layout with the means drawn over a cube of side <c>--spread</c> (small: the
/// components overlap and plain EM crawls). Each start is <c>--init</c> with seed 1, 2, …; both fits run
/// <see cref="InMemoryFitter"/> with the same settings but the acceleration. Prints, per start, the passes and final
/// mean log-likelihood of each, and the median ratio of passes.
/// </summary>
public static class PassesBenchmark
{
    public const string Usage =
        "[--n N (60000)] [--d D (6)] [--k K (8)] [--covariance full|diag|spherical|tied (full)] [--starts S (3)] [--tol T (1e-6)] " +
        "[--init random|kmeans|k-means++|random-from-data (random)] [--spread W (3)] [--max-iter M (20000)] [--seed S (1)]";

    public static int Run(BenchmarkArguments args)
    {
        var n = (long)args.Double("n", 60_000);
        var d = args.Int("d", 6);
        var k = args.Int("k", 8);
        var type = CovarianceTypeNames.Parse(args.String("covariance", "full"));
        var starts = args.Int("starts", 3);
        var tol = args.Double("tol", 1e-6);
        var init = InitMethodNames.Parse(args.String("init", "random"));
        var spread = args.Double("spread", 3);
        var maxIter = args.Int("max-iter", 20_000);
        var seed = args.Int("seed", 1);
        args.EnsureAllRead();

        var truth = Overlapping(EmBenchmark.Mixtures(type, d, k, seed).Truth, spread / 8);
        var shards = EmBenchmark.SampleShards(truth, n, 65_536, seed);
        var columns = Enumerable.Range(0, d).Select(a => $"x{a}").ToArray();
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, N = {n}, d = {d}, K = {k}, {type.ToName()}, " +
                          $"means over a cube of side {spread}, init {init.ToName()}, tol {tol:G3}, max-iter {maxIter}");
        Console.WriteLine("start   plain passes   plain mean log-lik   plain s   squarem passes  squarem iters   squarem mean log-lik   squarem s   passes ratio   log-lik gain   to plain's level   ratio");
        var ratios = new List<double>();
        var levelRatios = new List<double>();
        for (var s = 1; s <= starts; s++)
        {
            var settings = new FitSettings { Components = k, CovarianceType = type, Tol = tol, MaxIter = maxIter, Init = init, Seed = s };
            var (plain, plainSeconds) = Timed(() => InMemoryFitter.Fit(shards, columns, settings));
            var (fast, fastSeconds) = Timed(() => InMemoryFitter.Fit(shards, columns, settings with { Acceleration = Acceleration.Squarem }));
            var ratio = (double)fast.Passes / plain.Passes;
            ratios.Add(ratio);
            // Passes SQUAREM took until its lower bound first reached plain EM's last one (plain EM may stop on a plateau).
            var level = fast.LogLikelihoodHistory.Select((v, i) => (v, i)).FirstOrDefault(p => p.v >= plain.LogLikelihoodHistory[^1], (0, -1)).i + 1;
            var levelRatio = level > 0 ? (double)level / plain.Passes : double.NaN;
            levelRatios.Add(levelRatio);
            Console.WriteLine($"{s,5} {plain.Passes,14}{(plain.Converged ? " " : "*")} {plain.MeanLogLikelihood,20:F8} {plainSeconds,9:F2} {fast.Passes,16}{(fast.Converged ? " " : "*")} {fast.Iterations,13} {fast.MeanLogLikelihood,22:F8} {fastSeconds,11:F2} {ratio,14:F3} {fast.MeanLogLikelihood - plain.MeanLogLikelihood,14:E2} {(level > 0 ? level.ToString() : "never"),18} {levelRatio,7:F3}");
        }
        ratios.Sort();
        levelRatios.Sort();
        Console.WriteLine($"median passes ratio (squarem / plain): to convergence {ratios[ratios.Count / 2]:F3}, to plain EM's final lower bound {levelRatios[levelRatios.Count / 2]:F3}   (* = did not converge within max-iter)");
        return 0;
    }

    private static (FittedModel Model, double Seconds) Timed(Func<FittedModel> fit)
    {
        var started = Stopwatch.GetTimestamp();
        var model = fit();
        return (model, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary><paramref name="m"/> with its means scaled by <paramref name="factor"/> about the origin: closer, overlapping components.</summary>
    public static GaussianMixture Overlapping(GaussianMixture m, double factor) =>
        new(m.CovarianceType, m.Components, m.Dimensions, m.Weights, m.Means.Select(v => v * factor).ToArray(), m.Covariances);
}
