namespace DistributedGmm.Data;

/// <summary>What <see cref="SyntheticData.Generate"/> draws.</summary>
public sealed record GeneratorOptions
{
    public long Rows { get; init; } = 100_000;
    public int Dimensions { get; init; } = 2;
    public int Components { get; init; } = 3;
    /// <summary>Rows are split evenly over this many files (the first files take one more when it does not divide).</summary>
    public int Files { get; init; } = 1;
    /// <summary>Defaults to the default shard size, so each row group is one shard and is decoded once.</summary>
    public int RowGroupRows { get; init; } = DataOptions.DefaultShardRows;
    /// <summary>
    /// Standard deviation of each coordinate of the component means, in units of the components' own spread
    /// (their covariances have eigenvalues between about 0.5 and 4.5). Larger is better separated: at 1 the
    /// components overlap heavily, at 5 and above they are well apart.
    /// </summary>
    public double Separation { get; init; } = 4;
    public long Seed { get; init; } = 42;

    public void Validate()
    {
        if (Rows < 1) throw new ArgumentException($"rows must be at least 1, got {Rows}");
        if (Dimensions < 1) throw new ArgumentException($"dimensions must be at least 1, got {Dimensions}");
        if (Components < 1) throw new ArgumentException($"components must be at least 1, got {Components}");
        if (Files < 1) throw new ArgumentException($"files must be at least 1, got {Files}");
        if (RowGroupRows < 1) throw new ArgumentException($"row group rows must be at least 1, got {RowGroupRows}");
        if (!(Separation >= 0) || double.IsInfinity(Separation)) throw new ArgumentException($"separation must be a finite number ≥ 0, got {Separation}");
    }
}
