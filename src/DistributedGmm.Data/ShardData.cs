using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Data;

/// <summary>The valid rows of one shard.</summary>
/// <param name="Block">Row-major values of the kept rows only.</param>
/// <param name="SkippedRows">Rows dropped for holding a null, NaN or ±Infinity (always 0 under <see cref="InvalidValuePolicy.Error"/>).</param>
/// <param name="KeptRows">
/// Null when every row was kept; otherwise the ascending positions within the shard of the rows in
/// <paramref name="Block"/>, so predictions can be put back in place.
/// </param>
public sealed record ShardData(Shard Shard, RowBlock Block, long SkippedRows, int[]? KeptRows);
