using System.Numerics;
using System.Runtime.InteropServices;

namespace DistributedGmm.Data;

/// <summary>Column-major to row-major, in tight loops over spans with no allocation.</summary>
internal static class RowLayout
{
    /// <summary>Rows per tile: a tile of row-major output stays in the L1/L2 cache while each column writes into it.</summary>
    private const int TileRows = 256;

    /// <summary>Writes rows [first, first + count) of the columns into <paramref name="destination"/>, row-major.</summary>
    public static void Transpose(double[][] columns, int first, int count, Span<double> destination)
    {
        var d = columns.Length;
        for (var tile = 0; tile < count; tile += TileRows)
        {
            var rows = Math.Min(TileRows, count - tile);
            var output = destination.Slice(tile * d, rows * d);
            for (var j = 0; j < d; j++)
            {
                var source = columns[j].AsSpan(first + tile, rows);
                for (var i = 0; i < source.Length; i++) output[i * d + j] = source[i];
            }
        }
    }

    /// <summary>Writes one column into place <paramref name="j"/> of each row of a row-major block of width <paramref name="d"/>.</summary>
    public static void WriteColumn(ReadOnlySpan<double> column, int j, int d, Span<double> destination)
    {
        var output = destination[j..];
        for (var i = 0; i < column.Length; i++) output[i * d] = column[i];
    }

    /// <summary>Writes the rows <c>first + kept[i]</c> of the columns into <paramref name="destination"/>, row-major.</summary>
    public static void Gather(double[][] columns, int first, ReadOnlySpan<int> kept, Span<double> destination)
    {
        var d = columns.Length;
        for (var j = 0; j < d; j++)
        {
            var source = columns[j].AsSpan(first);
            for (var i = 0; i < kept.Length; i++) destination[i * d + j] = source[kept[i]];
        }
    }

    /// <summary>
    /// True when every value is finite and at most <see cref="UsableMagnitude.Max"/> in magnitude (a NaN fails the
    /// comparison too).
    /// </summary>
    public static bool AllUsable(ReadOnlySpan<double> values)
    {
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(values);
        var bound = new Vector<double>(UsableMagnitude.Max);
        var within = Vector<long>.AllBitsSet;
        foreach (var v in vectors) within &= Vector.LessThanOrEqual(Vector.Abs(v), bound);
        if (!Vector.EqualsAll(within, Vector<long>.AllBitsSet)) return false;
        foreach (var x in values[(vectors.Length * Vector<double>.Count)..])
        {
            if (!(Math.Abs(x) <= UsableMagnitude.Max)) return false;
        }
        return true;
    }

    /// <summary>True when no value is NaN or ±Infinity: x − x is 0 for every finite x and NaN otherwise.</summary>
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(values);
        var sum = Vector<double>.Zero;
        foreach (var v in vectors) sum += v - v;
        if (!Vector.EqualsAll(sum, Vector<double>.Zero)) return false;
        foreach (var x in values[(vectors.Length * Vector<double>.Count)..])
        {
            if (!double.IsFinite(x)) return false;
        }
        return true;
    }
}
