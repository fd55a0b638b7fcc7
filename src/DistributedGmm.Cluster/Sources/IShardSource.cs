using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Sources;

/// <summary>
/// The shards a fit runs over, as the runtime sees them: ids 0..ShardCount−1 fixed by the data, each read on
/// demand. Every node opens its own source over the same inputs; nothing of it travels in a message.
/// </summary>
public interface IShardSource
{
    int ShardCount { get; }
    int Dimensions { get; }
    IReadOnlyList<string> Columns { get; }
    long TotalRows { get; }

    /// <summary>The column whose values weight the rows (every block then carries weights), or null.</summary>
    string? WeightColumn => null;

    /// <summary>Whether the blocks carry sample weights (<see cref="RowBlock.Weights"/>).</summary>
    bool IsWeighted => WeightColumn is not null;

    /// <summary>Rows of shard <paramref name="shardId"/> as known before reading it (used to balance the work).</summary>
    int RowsIn(int shardId);

    /// <summary>Where shard <paramref name="shardId"/> comes from, for messages (a file and row group).</summary>
    string Describe(int shardId) => $"shard {shardId}";

    /// <summary>
    /// The shard's rows in a block the caller may keep (never a reused buffer). Throws the data layer's exception
    /// for bad input; <see cref="InputErrors"/> says which exception types count as that.
    /// </summary>
    RowBlock Read(int shardId);

    /// <summary>
    /// The shard's rows written into <paramref name="buffer"/> (at least <see cref="RowsIn"/> × <see cref="Dimensions"/>
    /// long), valid until the buffer's next use: for a caller that keeps a copy of its own.
    /// </summary>
    RowBlock Read(int shardId, double[] buffer) => Read(shardId);

    /// <summary>
    /// True when every value is a float32 widened to float64 (FLOAT columns): a cache may then keep it in four bytes
    /// and widen it back exactly.
    /// </summary>
    bool ValuesAreSingle => false;
}
