using DistributedGmm.Core.Model;
using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Benchmarks;

/// <summary>
/// Writes the same rows twice, as FLOAT columns (DIR/float) and as DOUBLE columns holding the same float32 values
/// (DIR/double), in DuckDB's 122,880-row groups: the inputs of the float32 cache's memory comparison
/// (<c>/usr/bin/time -v gmm fit DIR/float …</c> against <c>… DIR/double …</c>; the models must be the same bits).
/// </summary>
public static class FloatFilesBenchmark
{
    public const string Usage = "--dir DIR [--rows N (2000000)] [--dims D (16)] [--k K (16)] [--seed S (1)]";

    public static int Run(BenchmarkArguments args)
    {
        var dir = args.String("dir", "");
        var n = (long)args.Double("rows", 2_000_000);
        var d = args.Int("dims", 16);
        var k = args.Int("k", 16);
        var seed = args.Int("seed", 1);
        args.EnsureAllRead();
        if (dir.Length == 0) throw new ArgumentException("--dir is required");
        WriteAsync(dir, n, d, k, seed).GetAwaiter().GetResult();
        Console.WriteLine($"wrote {n} rows × {d} as FLOAT to {Path.Combine(dir, "float")} and as DOUBLE (the same values) to {Path.Combine(dir, "double")}");
        return 0;
    }

    private static async Task WriteAsync(string dir, long n, int d, int k, int seed)
    {
        var truth = EmBenchmark.Mixtures(CovarianceType.Full, d, k, seed).Truth;
        var sampler = new MixtureSampler(truth, seed);
        Directory.CreateDirectory(Path.Combine(dir, "float"));
        Directory.CreateDirectory(Path.Combine(dir, "double"));
        var floatFields = Enumerable.Range(0, d).Select(j => new DataField<float>($"x{j}")).ToArray();
        var doubleFields = Enumerable.Range(0, d).Select(j => new DataField<double>($"x{j}")).ToArray();
        await using var floatStream = File.Create(Path.Combine(dir, "float", "part.parquet"));
        await using var doubleStream = File.Create(Path.Combine(dir, "double", "part.parquet"));
        await using var floats = await ParquetWriter.CreateAsync(new ParquetSchema(floatFields), floatStream);
        await using var doubles = await ParquetWriter.CreateAsync(new ParquetSchema(doubleFields), doubleStream);
        const int groupRows = 122_880;
        for (long first = 0; first < n; first += groupRows)
        {
            var rows = (int)Math.Min(groupRows, n - first);
            var block = sampler.Sample(rows);
            using var floatGroup = floats.CreateRowGroup();
            using var doubleGroup = doubles.CreateRowGroup();
            for (var j = 0; j < d; j++)
            {
                var column = new float[rows];
                for (var i = 0; i < rows; i++) column[i] = (float)block.Row(i)[j];
                await floatGroup.WriteAsync<float>(floatFields[j], column.AsMemory());
                await doubleGroup.WriteAsync<double>(doubleFields[j], column.Select(v => (double)v).ToArray().AsMemory());
            }
        }
    }
}
