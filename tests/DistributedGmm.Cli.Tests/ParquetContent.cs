using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Cli.Tests;

/// <summary>A Parquet file's schema and values as Parquet.Net reads them: to compare two files by content, not bytes.</summary>
internal sealed record ParquetContent(string[] Schema, object?[][] Columns)
{
    public static ParquetContent Read(string path) => ReadAsync(path).GetAwaiter().GetResult();

    private static async Task<ParquetContent> ReadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        var columns = fields.Select(_ => new List<object?>()).ToArray();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            for (var c = 0; c < fields.Length; c++) columns[c].AddRange(ReadColumn(group, fields[c], n));
        }
        return new ParquetContent(fields.Select(f => $"{f.Name}:{f.ClrType.Name}:{(f.IsNullable ? "null" : "required")}").ToArray(),
            columns.Select(c => c.ToArray()).ToArray());
    }

    private static IEnumerable<object?> ReadColumn(ParquetRowGroupReader group, DataField field, int rows) => field.ClrType switch
    {
        var t when t == typeof(double) => Values<double>(group, field, rows),
        var t when t == typeof(float) => Values<float>(group, field, rows),
        var t when t == typeof(int) => Values<int>(group, field, rows),
        var t when t == typeof(long) => Values<long>(group, field, rows),
        var t when t == typeof(short) => Values<short>(group, field, rows),
        var t when t == typeof(bool) => Values<bool>(group, field, rows),
        var t when t == typeof(string) => Strings(group, field, rows),
        var t => throw new NotSupportedException($"{field.Name}: {t} columns are not compared here"),
    };

    private static object?[] Values<T>(ParquetRowGroupReader group, DataField field, int rows) where T : struct
    {
        if (field.IsNullable)
        {
            var nullable = new T?[rows];
            group.ReadAsync<T>(field, nullable.AsMemory()).AsTask().GetAwaiter().GetResult();
            return nullable.Select(v => (object?)v).ToArray();
        }
        var values = new T[rows];
        group.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
        return values.Select(v => (object?)v).ToArray();
    }

    private static object?[] Strings(ParquetRowGroupReader group, DataField field, int rows)
    {
        var values = new string?[rows];
        group.ReadAsync(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
        return values;
    }

    /// <summary>Same columns (names, types, nullability, order) and the same value in every row of each.</summary>
    public static void AssertEqual(string expectedPath, string actualPath)
    {
        var (expected, actual) = (Read(expectedPath), Read(actualPath));
        Assert.Equal(expected.Schema, actual.Schema);
        for (var c = 0; c < expected.Columns.Length; c++)
        {
            Assert.True(expected.Columns[c].Length == actual.Columns[c].Length, $"{expected.Schema[c]}: {expected.Columns[c].Length} rows against {actual.Columns[c].Length}");
            for (var i = 0; i < expected.Columns[c].Length; i++)
            {
                if (!Equals(expected.Columns[c][i], actual.Columns[c][i]))
                    Assert.Fail($"{actualPath}: {expected.Schema[c]} row {i}: {actual.Columns[c][i]} where {expectedPath} has {expected.Columns[c][i]}");
            }
        }
    }
}
