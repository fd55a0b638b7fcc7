using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// EM iterations of <see cref="InMemoryFitter"/> on data drawn in memory from a seeded mixture, from a fixed start
/// (a perturbed copy of the true mixture), with tol = 0 so every size runs the same number of iterations.
/// Seconds per iteration are the median of the gaps between progress reports (E-step over every shard + M-step).
/// GFLOP/s counts the kernels' arithmetic: per row and component, full and tied 2·d(d+1) (the triangular
/// Mahalanobis product and the upper triangle of the second moment, one multiply-add = 2), diag and spherical 4·d.
/// A table runs each size in a child process, so that its peak working set is that size's alone.
/// </summary>
public static class EmBenchmark
{
    public const string Usage =
        "[--quick (default) | --full] | [--n N --d D --k K --covariance full|diag|spherical|tied] [--iterations I (5)] " +
        "[--shard-rows R (65536)] [--cutting even|fixed (even: as gmm fit cuts DuckDB's 122,880-row groups)] [--seed S (1)] [--write-data FILE.f64] [--write-init FILE.json] [--write-model FILE.json] [--read-data FILE.f64] [--kernel-only]";

    private static readonly string[] Types = ["full", "tied", "diag", "spherical"];

    public static int Run(BenchmarkArguments args)
    {
        var n = args.Double("n", 0);
        var full = args.Flag("full");
        var quick = args.Flag("quick");
        if (n > 0)
        {
            var row = RunOne(args, (long)n);
            Console.WriteLine(row);
            return 0;
        }
        var iterations = args.Int("iterations", 5);
        args.EnsureAllRead();
        if (quick && full) throw new ArgumentException("--quick or --full, not both");
        RunTable(full ? FullTable() : QuickTable(), iterations);
        return 0;
    }

    private static IEnumerable<(long N, int D, int K, string Type)> QuickTable()
    {
        foreach (var type in Types) yield return (1_000_000, 16, 16, type);
        foreach (var n in new long[] { 100_000, 300_000, 3_000_000 }) yield return (n, 16, 16, "full");
        foreach (var k in new[] { 4, 64 }) yield return (1_000_000, 16, k, "full");
        foreach (var d in new[] { 2, 8, 32, 64 }) yield return (1_000_000, d, 16, "full");
        foreach (var n in new long[] { 100_000, 3_000_000 }) yield return (n, 16, 16, "diag");
        foreach (var k in new[] { 4, 64 }) yield return (1_000_000, 16, k, "diag");
    }

    private static IEnumerable<(long N, int D, int K, string Type)> FullTable()
    {
        foreach (var type in Types)
        {
            foreach (var n in new long[] { 100_000, 1_000_000, 3_000_000, 10_000_000 }) yield return (n, 16, 16, type);
            foreach (var k in new[] { 4, 8, 32, 64 }) yield return (1_000_000, 16, k, type);
            foreach (var d in new[] { 2, 4, 8, 32, 64 }) yield return (1_000_000, d, 16, type);
        }
    }

    private static void RunTable(IEnumerable<(long N, int D, int K, string Type)> sizes, int iterations)
    {
        Console.WriteLine($"# {Environment.ProcessorCount} cores, E-step kernels: {KernelDescription()}, {iterations} iterations a size");
        Console.WriteLine(Header);
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
        foreach (var (n, d, k, type) in sizes)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "em", "--n", n.ToString(CultureInfo.InvariantCulture), "--d", $"{d}", "--k", $"{k}", "--covariance", type, "--iterations", $"{iterations}" })
                start.ArgumentList.Add(a);
            using var child = Process.Start(start)!;
            var output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            Console.WriteLine(child.ExitCode == 0 ? output.TrimEnd() : $"{n,10} {d,4} {k,4} {type,-9} failed (exit {child.ExitCode})");
        }
    }

    private const string Header = "         N    d    K type       s/iter (median)   min s/iter   GFLOP/s   ns/(row·K)  cpu s/iter   data MB   peak MB   peak/data   heap MB   floor s  ×floor (median, min)  cpu ×floor     exp s  cpu ×(floor+exp)";

    private static string RunOne(BenchmarkArguments args, long n)
    {
        var d = args.Int("d", 16);
        var k = args.Int("k", 16);
        var type = CovarianceTypeNames.Parse(args.String("covariance", "full"));
        var iterations = args.Int("iterations", 5);
        var shardRows = args.Int("shard-rows", 65_536);
        var seed = args.Int("seed", 1);
        var writeData = args.String("write-data", "");
        var writeInit = args.String("write-init", "");
        var writeModel = args.String("write-model", "");
        var readData = args.String("read-data", "");
        var header = args.Flag("header");
        var kernelOnly = args.Flag("kernel-only");
        var fixedSlices = args.String("cutting", "even") switch
        {
            "even" => false,
            "fixed" => true,
            var other => throw new ArgumentException($"--cutting even|fixed, got {other}"),
        };
        args.EnsureAllRead();

        var (truth, start) = Mixtures(type, d, k, seed);
        var shards = readData.Length > 0 ? ReadShards(readData, n, d, shardRows) : SampleShards(truth, n, shardRows, seed, fixedSlices);
        if (writeData.Length > 0) WriteShards(writeData, shards);
        var columns = Enumerable.Range(0, d).Select(a => $"x{a}").ToArray();
        var settings = new FitSettings { Components = k, CovarianceType = type, Tol = 0, MaxIter = iterations, InitModel = start, Seed = seed };
        if (writeInit.Length > 0) ModelFile.Write(writeInit, new FittedModel { Mixture = start, Columns = columns });

        if (kernelOnly) return KernelOnly(PreparedMixture.Prepare(start), shards, iterations);
        // The machine's floor, measured in this run before the fit: processor seconds of one core's multiply-adds,
        // and the wall seconds every core would take together.
        var cpuFloor = FloorBenchmark.FloorSeconds(type, n, d, k, FloorBenchmark.CoreRate());
        var floor = cpuFloor / Environment.ProcessorCount;
        // The N·K exponentials at the kernels' own rate, on the same pipes: floor + exponentials bounds an iteration too.
        var cpuExp = (double)n * k / Vector512<double>.Count / FloorBenchmark.CoreExpRate();
        var reports = new Recorder();
        var model = InMemoryFitter.Fit(shards, columns, settings, reports);
        if (writeModel.Length > 0) ModelFile.Write(writeModel, model);

        // Gaps between reports: E-step over every shard + M-step. The first iteration has no gap before it (the
        // start's preparation would count): its E-step time stands for it.
        var seconds = new List<double> { reports.FirstEStep };
        for (var i = 1; i < reports.Stamps.Count; i++) seconds.Add(Stopwatch.GetElapsedTime(reports.Stamps[i - 1], reports.Stamps[i]).TotalSeconds);
        seconds.Sort();
        // Processor time per iteration: what the iteration costs whatever else the machine runs.
        var cpu = new List<double>();
        for (var i = 1; i < reports.Cpu.Count; i++) cpu.Add((reports.Cpu[i] - reports.Cpu[i - 1]).TotalSeconds);
        cpu.Sort();
        var cpuMedian = cpu.Count > 0 ? cpu[cpu.Count / 2] : double.NaN;
        var median = seconds[seconds.Count / 2];
        var flops = (double)n * k * FlopsPerRowComponent(type, d);
        var dataMb = n * d * 8 / 1e6;
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
        var row = $"{n,10} {d,4} {k,4} {type.ToName(),-9} {median,16:F4} {seconds[0],12:F4} {flops / median / 1e9,9:F1} {median / n / k * 1e9,12:F3} {cpuMedian,12:F4} {dataMb,9:F0} {peakMb,9:F0} {peakMb / dataMb,11:F2} {reports.PeakHeap / 1e6,9:F0} {floor,9:F4} {median / floor,7:F2} {seconds[0] / floor,6:F2} {cpuMedian / cpuFloor,11:F2} {cpuExp / Environment.ProcessorCount,9:F4} {cpuMedian / (cpuFloor + cpuExp),17:F2}";
        return header ? Header + "\n" + row : row;
    }

    /// <summary>One thread, E-step alone over every shard: the kernels' throughput (median seconds a pass).</summary>
    private static string KernelOnly(PreparedMixture model, RowBlock[] shards, int passes)
    {
        var times = new List<double>();
        for (var p = 0; p < passes; p++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var shard in shards) EStep.Compute(model, shard);
            times.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }
        times.Sort();
        return $"E-step, one thread: median {times[times.Count / 2]:F4} cpu s a pass, min {times[0]:F4}";
    }

    /// <summary>Synchronous (unlike <see cref="Progress{T}"/>): stamps each report as it happens.</summary>
    private sealed class Recorder : IProgress<IterationProgress>
    {
        public List<long> Stamps { get; } = [];
        public List<TimeSpan> Cpu { get; } = [];
        public double FirstEStep { get; private set; }
        /// <summary>The largest GC heap (bytes, live and not yet collected) seen at a report.</summary>
        public long PeakHeap { get; private set; }

        public void Report(IterationProgress value)
        {
            if (Stamps.Count == 0) FirstEStep = value.Elapsed.TotalSeconds;
            Stamps.Add(Stopwatch.GetTimestamp());
            Cpu.Add(Process.GetCurrentProcess().TotalProcessorTime);
            PeakHeap = Math.Max(PeakHeap, GC.GetTotalMemory(false));
        }
    }

    public static double FlopsPerRowComponent(CovarianceType type, int d) =>
        SufficientStatistics.StoresFullSecondMoment(type) ? 2.0 * d * (d + 1) : 4.0 * d;

    private static string KernelDescription() => EStep.KernelName;

    /// <summary>A seeded true mixture (means spread over a cube, random SPD covariances) and the start: its means moved, its covariances doubled, equal weights.</summary>
    public static (GaussianMixture Truth, GaussianMixture Start) Mixtures(CovarianceType type, int d, int k, int seed)
    {
        var random = new Random(seed);
        var means = new double[k * d];
        for (var i = 0; i < means.Length; i++) means[i] = 8 * (random.NextDouble() - 0.5);
        var weights = new double[k];
        for (var c = 0; c < k; c++) weights[c] = 0.5 + random.NextDouble();
        var sum = weights.Sum();
        for (var c = 0; c < k; c++) weights[c] /= sum;
        var covariances = new double[type.CovarianceLength(k, d)];
        var matrices = type switch { CovarianceType.Full => k, CovarianceType.Tied => 1, _ => 0 };
        for (var c = 0; c < matrices; c++)
        {
            var a = new double[d * d];
            for (var i = 0; i < a.Length; i++) a[i] = random.NextDouble() - 0.5;
            for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
            {
                double s = i == j ? 0.5 : 0;
                for (var p = 0; p < d; p++) s += a[i * d + p] * a[j * d + p] / d;
                covariances[(c * d + i) * d + j] = s;
            }
        }
        if (matrices == 0)
            for (var i = 0; i < covariances.Length; i++) covariances[i] = 0.3 + random.NextDouble();
        var truth = new GaussianMixture(type, k, d, weights, means, covariances);
        var startMeans = means.Select(m => m + (random.NextDouble() - 0.5)).ToArray();
        var startWeights = Enumerable.Repeat(1.0 / k, k).ToArray();
        var startCovariances = covariances.Select(v => 2 * v).ToArray();
        return (truth, new GaussianMixture(type, k, d, startWeights, startMeans, startCovariances));
    }

    /// <summary>Row groups of DuckDB's default size, cut as <c>gmm fit</c> cuts them (or, <paramref name="fixedSlices"/>, as it did before
    /// <see cref="ShardCutting"/>: full slices of <paramref name="shardRows"/> and a remainder).</summary>
    internal static RowBlock[] SampleShards(GaussianMixture truth, long n, int shardRows, int seed, bool fixedSlices = false)
    {
        var sampler = new MixtureSampler(truth, seed);
        var sizes = new List<int>();
        var size = fixedSlices ? shardRows : ShardCutting.ShardRows(n, shardRows);
        for (long first = 0; first < n; first += DuckDbRowGroupRows)
        {
            var groupRows = Math.Min(DuckDbRowGroupRows, n - first);
            if (fixedSlices)
                for (long offset = 0; offset < groupRows; offset += size) sizes.Add((int)Math.Min(size, groupRows - offset));
            else
                sizes.AddRange(ShardCutting.Slices(groupRows, size).Select(s => s.Rows));
        }
        return sizes.Select(rows => sampler.Sample(rows)).ToArray();
    }

    /// <summary>DuckDB's default ROW_GROUP_SIZE.</summary>
    private const long DuckDbRowGroupRows = 122_880;

    /// <summary>Raw little-endian float64, row-major, no header: what numpy.fromfile reads.</summary>
    internal static void WriteShards(string path, RowBlock[] shards)
    {
        using var stream = File.Create(path);
        foreach (var shard in shards) stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(shard.Span));
    }

    internal static RowBlock[] ReadShards(string path, long n, int d, int shardRows)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length != n * d * 8) throw new ArgumentException($"{path} holds {stream.Length} bytes, not {n} × {d} float64");
        var shards = new RowBlock[(int)((n + shardRows - 1) / shardRows)];
        for (var s = 0; s < shards.Length; s++)
        {
            var rows = (int)Math.Min(shardRows, n - (long)s * shardRows);
            var values = new double[rows * d];
            stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            shards[s] = new RowBlock(values, rows, d);
        }
        return shards;
    }
}
