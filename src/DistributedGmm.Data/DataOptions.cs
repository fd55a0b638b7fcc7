namespace DistributedGmm.Data;

/// <summary>How input Parquet files are turned into rows.</summary>
public sealed record DataOptions
{
    public const int DefaultShardRows = 65536;

    /// <summary>Columns to use, in this order; null takes every column that is DOUBLE or FLOAT in every file (see DefaultFeatures).</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    public InvalidValuePolicy OnInvalid { get; init; } = InvalidValuePolicy.Error;

    /// <summary>
    /// A numeric column whose values weight the rows (Spark's weightCol), never a feature; null weighs every row 1.
    /// A null, NaN, infinite or negative weight is invalid like a bad feature value (<see cref="OnInvalid"/>).
    /// </summary>
    public string? WeightColumn { get; init; }

    /// <summary>
    /// Round every feature value to float32 where it is read into the fit (approximate for DOUBLE columns; FLOAT
    /// columns are float32 already), so that workers cache four bytes a value. Part of the data's fingerprint: it
    /// changes the result.
    /// </summary>
    public bool Float32Values { get; init; }

    /// <summary>Most rows in one shard; row groups larger than this are cut into equal slices (<see cref="ShardCutting"/>).</summary>
    public int ShardRows { get; init; } = DefaultShardRows;

    /// <summary>Where s3:// inputs are read from; null for this process's (<see cref="ObjectStorage.ObjectStores.Default"/>).</summary>
    public ObjectStorage.ObjectStore? Store { get; init; }
}
