using System.Diagnostics;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// What the actor runtime costs per EM iteration over <see cref="InMemoryFitter"/>: both fit the same in-memory
/// shards (cut at the default shard size) from the same starting model for a fixed number of iterations (tol 0).
/// Per iteration: the median and the fastest of each iteration's E-step time as both report it (on a shared
/// machine the fastest is the least disturbed); per fit: wall time including
/// the sample, the final E-step and (for the runtime) starting and stopping the ActorSystem.
/// </summary>
public static class RuntimeOverheadBenchmark
{
    public const string Usage = "[--rows N (1000000)] [--dims D (16)] [--components K (16)] [--covariance full|tied|diag|spherical (full)] [--iterations I (5)] [--repeats R (3)] [--workers W (cores)] [--parallelism P (cores)]";

    public static int Run(BenchmarkArguments args)
    {
        var rows = args.Int("rows", 1_000_000);
        var d = args.Int("dims", 16);
        var k = args.Int("components", 16);
        var type = CovarianceTypeNames.Parse(args.String("covariance", "full"));
        var iterations = args.Int("iterations", 5);
        var repeats = args.Int("repeats", 3);
        var workers = args.Int("workers", Environment.ProcessorCount);
        var parallelism = args.Int("parallelism", 0);
        args.EnsureAllRead();

        var (truth, start) = EmBenchmark.Mixtures(type, d, k, 3);
        var sampler = new MixtureSampler(truth, 1);
        var shards = new List<RowBlock>();
        for (var made = 0; made < rows; made += 65536) shards.Add(sampler.Sample(Math.Min(65536, rows - made)));
        var source = new InMemoryShardSource(shards);
        var settings = new FitSettings { Components = k, CovarianceType = type, Tol = 0, MaxIter = iterations, InitModel = start };
        var job = new FitJob { Settings = settings, Workers = workers, WorkerParallelism = parallelism > 0 ? parallelism : null };
        Console.WriteLine($"{rows:N0} rows × {d}, K = {k} {type.ToName()}, {shards.Count} shards, {iterations} iterations, {workers} workers × {job.ParallelismPerWorker} threads, {Environment.ProcessorCount} cores");

        var memory = new List<double>();
        var runtime = new List<double>();
        var memoryWall = new List<double>();
        var runtimeWall = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            var a = InMemoryFitter.Fit(shards, source.Columns, settings, new Collector<IterationProgress>(p => memory.Add(p.Elapsed.TotalSeconds)));
            memoryWall.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            var b = EmbeddedFit.RunAsync(job, source, new Collector<FitProgress>(p => runtime.Add(p.Step.Elapsed.TotalSeconds))).GetAwaiter().GetResult();
            runtimeWall.Add(watch.Elapsed.TotalSeconds);
            if (BitConverter.DoubleToInt64Bits(a.LogLikelihood) != BitConverter.DoubleToInt64Bits(b.LogLikelihood))
                throw new InvalidOperationException("the runtime's model differs from the in-memory model");
            Console.WriteLine($"repeat {r + 1}: in-memory {memoryWall[^1]:F3} s, runtime {runtimeWall[^1]:F3} s (models bit-identical)");
        }
        Print("per iteration, median", Median(memory), Median(runtime));
        Print("per iteration, fastest", memory.Min(), runtime.Min());
        Print("per fit (wall), median", Median(memoryWall), Median(runtimeWall));
        return 0;
    }

    private static void Print(string label, double memory, double runtime) =>
        Console.WriteLine($"{label}: in-memory {memory:F4} s, runtime {runtime:F4} s, ratio {runtime / memory:F3}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class Collector<T>(Action<T> add) : IProgress<T>
    {
        public void Report(T value) => add(value);
    }
}
