using System.Diagnostics;
using DistributedGmm.Data;
using DistributedGmm.Data.ObjectStorage;
using DistributedGmm.Data.Tests.ObjectStorage;
using Parquet;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// The read path from object storage against local files, side by side in one run: every shard of a synthetic
/// dataset decoded into row-major doubles over the machine's cores, from the files on disk and from the same files in
/// s3rver on loopback (started here, over a temporary directory). Prints MB/s of decoded doubles (MB = 10⁶ bytes),
/// ranged GETs per shard, and bytes fetched per byte of the column chunks the shards need (footers included).
/// Runs alternate (local, S3, local, …) so both see the same machine load; medians are reported.
/// </summary>
public static class ObjectStoreBenchmark
{
    public const string Usage = "[--rows N (10000000)] [--dims D (16)] [--dir DIR (bench-data/decode-<rows>x<dims>)] [--runs R (3)]";

    public static int Run(BenchmarkArguments args)
    {
        var rows = args.Long("rows", 10_000_000);
        var dims = args.Int("dims", 16);
        var dir = args.String("dir", Path.Combine("bench-data", $"decode-{rows}x{dims}"));
        var runs = args.Int("runs", 3);
        args.EnsureAllRead();

        DecodeBenchmark.EnsureData(rows, dims, dir);
        using var server = new S3rverProcess();
        var upload = Stopwatch.StartNew();
        using (var client = S3Client.For(server.Endpoint))
        {
            client.Bucket("bench");
            foreach (var file in Directory.GetFiles(dir, "*.parquet")) client.Upload("bench", "data/" + Path.GetFileName(file), file);
        }
        Console.WriteLine($"uploaded to s3rver in {upload.Elapsed.TotalSeconds:F1} s");

        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        using var store = new ObjectStore(new ObjectStoreSettings { Endpoint = server.Endpoint });
        var local = Dataset.Discover([dir], new DataOptions());
        var remote = Dataset.Discover(["s3://bench/data/"], new DataOptions { Store = store });
        var needed = ColumnChunkBytes(local);
        var decoded = local.TotalRows * (double)local.Dimensions * sizeof(double);
        var threads = Environment.ProcessorCount;
        Console.WriteLine($"{local.TotalRows:N0} rows × {local.Dimensions} columns in {local.Files.Count} files, {local.Shards.Count} shards, " +
                          $"{needed / 1e6:F0} MB of column chunks, {threads} threads, {runs} runs each, alternating");

        var ranges = RowGroupRanges(local);
        var fetchSeconds = new double[runs];
        var localSeconds = new double[runs];
        var remoteSeconds = new double[runs];
        long requests = 0, fetched = 0;
        for (var r = 0; r < runs; r++)
        {
            localSeconds[r] = DecodeBenchmark.TimeDecode(local, threads, hash: false);
            var (requestsBefore, fetchedBefore) = (store.GetRequests, store.BytesFetched);
            remoteSeconds[r] = DecodeBenchmark.TimeDecode(remote, threads, hash: false);
            (requests, fetched) = (store.GetRequests - requestsBefore, store.BytesFetched - fetchedBefore);
            fetchSeconds[r] = TimeFetch(store, remote, ranges, threads);
        }
        var localMedian = Median(localSeconds);
        var remoteMedian = Median(remoteSeconds);
        Console.WriteLine($"{"local files",-12} median {localMedian:F2} s  {decoded / localMedian / 1e6:F0} MB/s decoded");
        Console.WriteLine($"{"s3 loopback",-12} median {remoteMedian:F2} s  {decoded / remoteMedian / 1e6:F0} MB/s decoded  " +
                          $"{(double)requests / remote.Shards.Count:F2} GETs per shard  {fetched / (double)needed:F4} bytes fetched per byte needed (last run)");
        var fetchMedian = Median(fetchSeconds);
        Console.WriteLine($"{"s3 fetch only",-12} median {fetchMedian:F2} s  {needed / fetchMedian / 1e6:F0} MB/s of column chunks (the same ranges, nothing decoded: the server's ceiling)");
        Console.WriteLine($"s3 / local decode rate: {localMedian / remoteMedian:P0}");
        return 0;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The compressed sizes of every row group's selected column chunks, from the files' own metadata.</summary>
    private static long ColumnChunkBytes(Dataset dataset)
    {
        long total = 0;
        foreach (var file in dataset.Files)
        {
            var reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
            var fields = reader.Schema.DataFields.Where(f => dataset.Columns.Contains(f.Name)).ToArray();
            for (var g = 0; g < reader.RowGroupCount; g++)
                total += fields.Sum(f => reader.OpenRowGroupReader(g).GetMetadata(f)!.MetaData!.TotalCompressedSize);
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return total;
    }

    /// <summary>Each row group's selected column chunks as one byte range per file (they are adjacent when every column is selected).</summary>
    private static List<(int File, long Start, long Length)> RowGroupRanges(Dataset dataset)
    {
        var ranges = new List<(int, long, long)>();
        for (var f = 0; f < dataset.Files.Count; f++)
        {
            var reader = ParquetReader.CreateAsync(dataset.Files[f]).GetAwaiter().GetResult();
            var fields = reader.Schema.DataFields.Where(d => dataset.Columns.Contains(d.Name)).ToArray();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var chunks = fields.Select(d => reader.OpenRowGroupReader(g).GetMetadata(d)!.MetaData!).ToArray();
                var start = chunks.Min(c => c.DictionaryPageOffset is { } o && o > 0 ? Math.Min(o, c.DataPageOffset) : c.DataPageOffset);
                ranges.Add((f, start, chunks.Sum(c => c.TotalCompressedSize)));
            }
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ranges;
    }

    /// <summary>The same bytes as a decode run fetches, by the same 2 MiB ranged GETs, <paramref name="threads"/> row groups at a time, nothing decoded.</summary>
    private static double TimeFetch(ObjectStore store, Dataset remote, List<(int File, long Start, long Length)> ranges, int threads)
    {
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(ranges, new ParallelOptions { MaxDegreeOfParallelism = threads }, range =>
        {
            var buffer = new byte[range.Length];
            var parts = new List<Task>();
            for (long part = 0; part < range.Length; part += 2 << 20)
                parts.Add(store.ReadAsync(remote.ObjectAt(range.File)!, range.Start + part, buffer.AsMemory((int)part, (int)Math.Min(2 << 20, range.Length - part))));
            Task.WaitAll(parts);
        });
        return watch.Elapsed.TotalSeconds;
    }
}
