namespace DistributedGmm.Core.Estimation;

/// <summary>
/// A block of rows as the Data layer delivers them: row-major doubles, <see cref="Rows"/> × <see cref="Dimensions"/>.
/// <see cref="Values"/> may be longer than Rows × Dimensions (a reused buffer); only the prefix counts.
/// <see cref="Weights"/>, when not null, holds each row's sample weight (finite, ≥ 0; Spark's weightCol): every
/// sum a fit takes counts row i <c>Weights[i]</c> times. Null means weight 1 for every row, and the unweighted
/// arithmetic, bit for bit.
/// </summary>
public sealed record RowBlock
{
    public RowBlock(double[] values, int rows, int dimensions, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        if ((long)rows * dimensions > values.Length)
            throw new ArgumentException($"a block of {rows} × {dimensions} needs {(long)rows * dimensions} values, got {values.Length}");
        if (weights is not null && weights.Length < rows)
            throw new ArgumentException($"a block of {rows} rows needs {rows} weights, got {weights.Length}");
        Values = values;
        Rows = rows;
        Dimensions = dimensions;
        Weights = weights;
    }

    public double[] Values { get; }
    public int Rows { get; }
    public int Dimensions { get; }

    /// <summary>Each row's weight (only the first <see cref="Rows"/> count), or null: every row weighs 1.</summary>
    public double[]? Weights { get; }

    public bool IsWeighted => Weights is not null;

    public double Weight(int i) => Weights is null ? 1 : Weights[i];

    /// <summary>Σ w_i in row order: the number of samples the rows stand for.</summary>
    public double TotalWeight()
    {
        if (Weights is null) return Rows;
        double sum = 0;
        for (var i = 0; i < Rows; i++) sum += Weights[i];
        return sum;
    }

    public ReadOnlySpan<double> Span => Values.AsSpan(0, Rows * Dimensions);
    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * Dimensions, Dimensions);

    public static RowBlock FromRows(double[][] rows, double[]? weights = null)
    {
        if (rows.Length == 0) throw new ArgumentException("no rows");
        var d = rows[0].Length;
        var values = new double[rows.Length * d];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != d) throw new ArgumentException($"row {i} has {rows[i].Length} values, expected {d}");
            rows[i].CopyTo(values, i * d);
        }
        return new RowBlock(values, rows.Length, d, weights);
    }
}
