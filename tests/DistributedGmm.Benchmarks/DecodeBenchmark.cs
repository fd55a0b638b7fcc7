using System.Diagnostics;
using DistributedGmm.Data;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// Decoding speed of the read path: every shard of a synthetic dataset read into row-major doubles, in parallel over
/// the machine's cores and on one thread, then on one thread with each shard's content hash (<see cref="ContentHash"/>,
/// what a worker computes once per shard as it enters its cache) and the hash alone over the decoded values.
/// MB/s counts decoded doubles (rows × dims × 8 bytes), MB = 10⁶ bytes.
/// </summary>
public static class DecodeBenchmark
{
    public const string Usage = "[--rows N (10000000)] [--dims D (16)] [--dir DIR (bench-data/decode-<rows>x<dims>)] [--runs R (3)]";

    public static int Run(BenchmarkArguments args)
    {
        var rows = args.Long("rows", 10_000_000);
        var dims = args.Int("dims", 16);
        var dir = args.String("dir", Path.Combine("bench-data", $"decode-{rows}x{dims}"));
        var runs = args.Int("runs", 3);
        args.EnsureAllRead();

        EnsureData(rows, dims, dir);
        var dataset = Dataset.Discover([dir], new DataOptions());
        Console.WriteLine($"{dataset.TotalRows:N0} rows × {dataset.Dimensions} columns in {dataset.Files.Count} file(s), {dataset.Shards.Count} shards, {Environment.ProcessorCount} cores");
        Report("parallel", dataset, runs, Environment.ProcessorCount);
        Report("single thread", dataset, runs, 1);
        Report("1 thread+hash", dataset, runs, 1, hash: true);
        ReportHashOnly(dataset, runs);
        return 0;
    }

    internal static void EnsureData(long rows, int dims, string dir)
    {
        if (File.Exists(Path.Combine(dir, SyntheticData.TruthFileName))) return;
        Console.WriteLine($"generating {rows:N0} × {dims} in {dir} …");
        var watch = Stopwatch.StartNew();
        SyntheticData.Generate(new GeneratorOptions { Rows = rows, Dimensions = dims, Components = 4, Files = 4 }, dir);
        Console.WriteLine($"generated in {watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>The hash alone, over one shard's worth of decoded values hashed as many times as the dataset has shards.</summary>
    private static void ReportHashOnly(Dataset dataset, int runs)
    {
        using var reader = new ShardReader(dataset);
        var block = reader.Read(dataset.Shards[0]).Block;
        var seconds = new double[runs];
        ulong sink = 0;
        double bytes = 0;
        for (var r = 0; r < runs; r++)
        {
            var watch = Stopwatch.StartNew();
            bytes = 0;
            foreach (var shard in dataset.Shards)
            {
                var span = block.Span[..Math.Min(block.Span.Length, shard.Rows * dataset.Dimensions)];
                sink ^= ContentHash.Of(span);
                bytes += span.Length * (double)sizeof(double);
            }
            seconds[r] = watch.Elapsed.TotalSeconds;
        }
        Array.Sort(seconds);
        var median = seconds[runs / 2];
        Console.WriteLine($"{"hash only",-14} median of {runs}: {median:F3} s  {bytes / median / 1e9:F1} GB/s  {median / (bytes / 1e9) * 1e3:F1} ms per decoded GB (xor {sink:x})");
    }

    private static void Report(string label, Dataset dataset, int runs, int threads, bool hash = false)
    {
        var seconds = new double[runs];
        long allocated = 0;
        for (var r = 0; r < runs; r++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            seconds[r] = TimeDecode(dataset, threads, hash);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Array.Sort(seconds);
        var median = seconds[runs / 2];
        var rowsPerSecond = dataset.TotalRows / median;
        var megabytesPerSecond = dataset.TotalRows * (double)dataset.Dimensions * sizeof(double) / median / 1e6;
        Console.WriteLine($"{label,-14} median of {runs}: {median:F2} s  {rowsPerSecond / 1e6:F2} M rows/s  {megabytesPerSecond:F0} MB/s decoded  " +
                          $"({allocated / (double)dataset.TotalRows:F1} bytes allocated per row in the last run)");
    }

    /// <summary>Each thread has its own reader and buffer and takes the next shard from a shared counter.</summary>
    internal static double TimeDecode(Dataset dataset, int threads, bool hash)
    {
        var next = -1;
        var checksum = new double[threads];
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            using var reader = new ShardReader(dataset);
            var buffer = new double[dataset.Options.ShardRows * dataset.Dimensions];
            int s;
            while ((s = Interlocked.Increment(ref next)) < dataset.Shards.Count)
            {
                var block = reader.Read(dataset.Shards[s], buffer).Block;
                checksum[t] += block.Values[0] + block.Values[block.Rows * block.Dimensions - 1];
                if (hash) checksum[t] += ContentHash.Of(block.Span) & 1;
            }
        });
        var elapsed = watch.Elapsed.TotalSeconds;
        if (double.IsNaN(checksum.Sum())) throw new InvalidOperationException("unreachable: keeps the reads alive");
        return elapsed;
    }
}
