using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Cli.Tests;

/// <summary>Small Parquet inputs for the end-to-end tests, written with Parquet.Net in one row group.</summary>
internal static class TestParquet
{
    /// <summary>
    /// <c>long[]</c> columns are written as INT64, <c>double[]</c> as DOUBLE (nullable when asked, NaN stays NaN).
    /// Uncompressed when <paramref name="uncompressed"/>, so that the same values in another order give a file of
    /// the same size and footer.
    /// </summary>
    public static void Write(string path, (string Name, Array Values)[] columns, bool uncompressed = false) =>
        WriteAsync(path, columns, uncompressed).GetAwaiter().GetResult();

    private static async Task WriteAsync(string path, (string Name, Array Values)[] columns, bool uncompressed)
    {
        var fields = columns.Select(c => c.Values switch
        {
            long[] => (DataField)new DataField<long>(c.Name),
            double?[] => new DataField<double?>(c.Name),
            _ => new DataField<double>(c.Name),
        }).ToArray();
        await using var stream = File.Create(path);
        var options = uncompressed ? new ParquetOptions { CompressionMethod = CompressionMethod.None } : null;
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options);
        using var group = writer.CreateRowGroup();
        for (var j = 0; j < columns.Length; j++)
        {
            var task = columns[j].Values switch
            {
                long[] longs => group.WriteAsync<long>(fields[j], longs.AsMemory()),
                double?[] nullable => group.WriteAsync<double>(fields[j], nullable.AsMemory()),
                double[] doubles => group.WriteAsync<double>(fields[j], doubles.AsMemory()),
                var other => throw new ArgumentException($"TestParquet writes long[], double[] and double?[], not {other.GetType()}"),
            };
            await task;
        }
    }
}
