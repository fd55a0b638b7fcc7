namespace DistributedGmm.Data;

/// <summary>What to do with a row that holds a null, NaN or ±Infinity in a selected column.</summary>
public enum InvalidValuePolicy
{
    /// <summary>Stop with a <see cref="DataException"/> naming the file, row group, column and row.</summary>
    Error,
    /// <summary>Drop the row; <see cref="ShardData.SkippedRows"/> counts them.</summary>
    Skip,
}
