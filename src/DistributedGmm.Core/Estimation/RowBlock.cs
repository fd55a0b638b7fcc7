namespace DistributedGmm.Core.Estimation;

/// <summary>
/// A block of rows as the Data layer delivers them: row-major doubles, <see cref="Rows"/> × <see cref="Dimensions"/>.
/// <see cref="Values"/> may be longer than Rows × Dimensions (a reused buffer); only the prefix counts.
/// </summary>
public sealed record RowBlock
{
    public RowBlock(double[] values, int rows, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        if ((long)rows * dimensions > values.Length)
            throw new ArgumentException($"a block of {rows} × {dimensions} needs {(long)rows * dimensions} values, got {values.Length}");
        Values = values;
        Rows = rows;
        Dimensions = dimensions;
    }

    public double[] Values { get; }
    public int Rows { get; }
    public int Dimensions { get; }

    public ReadOnlySpan<double> Span => Values.AsSpan(0, Rows * Dimensions);
    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * Dimensions, Dimensions);

    public static RowBlock FromRows(double[][] rows)
    {
        if (rows.Length == 0) throw new ArgumentException("no rows");
        var d = rows[0].Length;
        var values = new double[rows.Length * d];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != d) throw new ArgumentException($"row {i} has {rows[i].Length} values, expected {d}");
            rows[i].CopyTo(values, i * d);
        }
        return new RowBlock(values, rows.Length, d);
    }
}
