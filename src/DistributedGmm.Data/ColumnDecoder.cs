using System.Numerics;
using System.Runtime.InteropServices;
using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Data;

/// <summary>
/// Reads one column chunk into a double buffer. DOUBLE columns are decoded straight into it; other types
/// through a reused scratch buffer of their own type, then widened.
/// </summary>
internal sealed class ColumnDecoder
{
    private float[] _floats = [];
    private short[] _shorts = [];
    private int[] _ints = [];
    private long[] _longs = [];
    private decimal[] _decimals = [];

    public async Task DecodeAsync(ParquetRowGroupReader rowGroup, DataField field, ColumnType type, int rows,
        double[] destination, int[] levels, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case ColumnType.Double: await ReadAsync(rowGroup, field, rows, destination, destination, levels, cancellationToken).ConfigureAwait(false); break;
            case ColumnType.Float: await ReadAsync(rowGroup, field, rows, Scratch(ref _floats, rows), destination, levels, cancellationToken).ConfigureAwait(false); break;
            case ColumnType.Int16: await ReadAsync(rowGroup, field, rows, Scratch(ref _shorts, rows), destination, levels, cancellationToken).ConfigureAwait(false); break;
            case ColumnType.Int32: await ReadAsync(rowGroup, field, rows, Scratch(ref _ints, rows), destination, levels, cancellationToken).ConfigureAwait(false); break;
            case ColumnType.Int64: await ReadAsync(rowGroup, field, rows, Scratch(ref _longs, rows), destination, levels, cancellationToken).ConfigureAwait(false); break;
            case ColumnType.Decimal: await ReadAsync(rowGroup, field, rows, Scratch(ref _decimals, rows), destination, levels, cancellationToken).ConfigureAwait(false); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    private static T[] Scratch<T>(ref T[] buffer, int rows)
    {
        if (buffer.Length < rows) buffer = GC.AllocateUninitializedArray<T>(rows);
        return buffer;
    }

    /// <summary>
    /// A nullable column comes back packed (its non-null values first) with one definition level per row;
    /// spreading the values back to their rows from the end lets <paramref name="values"/> and
    /// <paramref name="destination"/> be the same array, since a value never moves to an earlier row.
    /// </summary>
    private static async Task ReadAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int rows, T[] values,
        double[] destination, int[] levels, CancellationToken cancellationToken) where T : struct, INumberBase<T>
    {
        var maxLevel = field.MaxDefinitionLevel;
        if (maxLevel == 0)
        {
            await rowGroup.ReadAsync<T>(field, values.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
            Widen<T>(values.AsSpan(0, rows), destination);
            return;
        }
        await rowGroup.ReadRawAsync<T>(field, values.AsMemory(0, rows), levels.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        var present = 0;
        for (var i = 0; i < rows; i++) present += levels[i] == maxLevel ? 1 : 0;
        if (present == rows)
        {
            Widen<T>(values.AsSpan(0, rows), destination);
            return;
        }
        var next = present - 1;
        for (var i = rows - 1; i >= 0; i--)
            destination[i] = levels[i] == maxLevel ? double.CreateTruncating(values[next--]) : double.NaN;
    }

    private static void Widen<T>(ReadOnlySpan<T> values, Span<double> destination) where T : struct, INumberBase<T>
    {
        if (typeof(T) == typeof(double)) return; // decoded in place
        if (typeof(T) == typeof(float))
        {
            var floats = MemoryMarshal.Cast<T, float>(values);
            for (var i = 0; i < floats.Length; i++) destination[i] = floats[i];
            return;
        }
        for (var i = 0; i < values.Length; i++) destination[i] = double.CreateTruncating(values[i]);
    }
}
