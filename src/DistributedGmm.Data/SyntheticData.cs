using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using Parquet.Schema;
using Parquet;

namespace DistributedGmm.Data;

/// <summary>
/// Writes Gaussian-mixture data with a known truth. Streams: one row group is in memory at a time, so the
/// size of the output does not bound anything but the disk. The same options give the same values, bit for bit.
/// </summary>
public static class SyntheticData
{
    public const string TruthFileName = "truth.json";
    public const string SeedExampleFileName = "seed-example.parquet";
    public const string LabelColumn = "component";
    private const int SampleChunkRows = 4096;

    public static string FileName(int file) => $"part-{file:D5}.parquet";

    public static IReadOnlyList<string> ColumnNames(int dimensions) =>
        Enumerable.Range(0, dimensions).Select(j => $"x{j}").ToArray();

    /// <summary>Writes the data files and <see cref="TruthFileName"/>; returns the truth.</summary>
    public static FittedModel Generate(GeneratorOptions options, string outDir) =>
        GenerateAsync(options, outDir).GetAwaiter().GetResult();

    public static async Task<FittedModel> GenerateAsync(GeneratorOptions options, string outDir, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var mixture = RandomMixture.Draw(options.Components, options.Dimensions, options.Separation, new DeterministicRandom(unchecked((ulong)options.Seed), 1));
        var sampler = new MixtureSampler(mixture, options.Seed);
        var columns = ColumnNames(options.Dimensions);
        var groupRows = (int)Math.Min(options.RowGroupRows, options.Rows);
        var buffers = new ColumnBuffers(options.Dimensions, groupRows);
        for (var f = 0; f < options.Files; f++)
        {
            var fileRows = options.Rows / options.Files + (f < options.Rows % options.Files ? 1 : 0);
            await WriteFileAsync(Path.Combine(outDir, FileName(f)), columns, withLabels: true, fileRows, groupRows, buffers,
                rows => Sample(sampler, buffers, rows), cancellationToken).ConfigureAwait(false);
        }
        var truth = new FittedModel { Mixture = mixture, Columns = columns, Samples = options.Rows };
        ModelFile.Write(Path.Combine(outDir, TruthFileName), truth);
        return truth;
    }

    /// <summary>
    /// The classic EM demo: 100 rows in 2 dimensions drawn as randn(100, 2) + 10·randn(100, 2), columns x0 and x1,
    /// one file. Returns its path.
    /// </summary>
    public static string SeedExample(string outDir, long seed)
    {
        const int rows = 100, d = 2;
        var random = new DeterministicRandom(seed);
        var small = new double[rows * d];
        var large = new double[rows * d];
        for (var i = 0; i < small.Length; i++) small[i] = random.NextGaussian();
        for (var i = 0; i < large.Length; i++) large[i] = random.NextGaussian();
        var buffers = new ColumnBuffers(d, rows);
        for (var i = 0; i < rows; i++)
        for (var j = 0; j < d; j++)
            buffers.Columns[j][i] = small[i * d + j] + 10 * large[i * d + j];
        var path = Path.Combine(outDir, SeedExampleFileName);
        WriteFileAsync(path, ColumnNames(d), withLabels: false, rows, rows, buffers, _ => { }, CancellationToken.None).GetAwaiter().GetResult();
        return path;
    }

    private static void Sample(MixtureSampler sampler, ColumnBuffers buffers, int rows)
    {
        var d = buffers.Columns.Length;
        for (var start = 0; start < rows; start += SampleChunkRows)
        {
            var n = Math.Min(SampleChunkRows, rows - start);
            var chunk = buffers.RowMajor.AsSpan(0, n * d);
            sampler.Sample(chunk, buffers.Labels.AsSpan(start, n));
            for (var j = 0; j < d; j++)
            {
                var column = buffers.Columns[j].AsSpan(start, n);
                for (var i = 0; i < n; i++) column[i] = chunk[i * d + j];
            }
        }
    }

    private static Task WriteFileAsync(string path, IReadOnlyList<string> columns, bool withLabels, long rows, int groupRows,
        ColumnBuffers buffers, Action<int> fill, CancellationToken cancellationToken)
    {
        var fields = columns.Select(c => new DataField<double>(c)).ToArray();
        var label = new DataField<int>(LabelColumn);
        var schema = new ParquetSchema(withLabels ? [.. fields, label] : fields);
        return AtomicFile.WriteAsync(path, async (stream, ct) =>
        {
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: ct).ConfigureAwait(false);
            for (long written = 0; written < rows; written += groupRows)
            {
                var n = (int)Math.Min(groupRows, rows - written);
                fill(n);
                using var group = writer.CreateRowGroup();
                for (var j = 0; j < fields.Length; j++)
                    await group.WriteAsync<double>(fields[j], buffers.Columns[j].AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
                if (withLabels) await group.WriteAsync<int>(label, buffers.Labels.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>One row group's worth of columns and labels, reused for every row group.</summary>
    private sealed class ColumnBuffers(int dimensions, int rows)
    {
        public double[][] Columns { get; } = Enumerable.Range(0, dimensions).Select(_ => new double[rows]).ToArray();
        public int[] Labels { get; } = new int[rows];
        public double[] RowMajor { get; } = new double[Math.Min(rows, SampleChunkRows) * dimensions];
    }
}
