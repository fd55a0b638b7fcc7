using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Sources;

/// <summary>Shards already in memory, in shard-id order: for tests, benchmarks and callers that hold their data.</summary>
public sealed class InMemoryShardSource : IShardSource
{
    private readonly IReadOnlyList<RowBlock> _shards;

    /// <param name="weightColumn">The name recorded for weighted shards' weights (default "weight").</param>
    public InMemoryShardSource(IReadOnlyList<RowBlock> shards, IReadOnlyList<string>? columns = null, string? weightColumn = null)
    {
        if (shards.Count == 0) throw new ArgumentException("no shards");
        _shards = shards;
        Dimensions = shards[0].Dimensions;
        if (shards.Any(s => s.Dimensions != Dimensions)) throw new ArgumentException("shards have different numbers of columns");
        Columns = columns ?? Enumerable.Range(0, Dimensions).Select(i => $"x{i}").ToArray();
        TotalRows = shards.Sum(s => (long)s.Rows);
        if (shards.Any(s => s.IsWeighted != shards[0].IsWeighted)) throw new ArgumentException("some shards are weighted, others not");
        WeightColumn = shards[0].IsWeighted ? weightColumn ?? "weight" : null;
    }

    public string? WeightColumn { get; }

    public int ShardCount => _shards.Count;
    public int Dimensions { get; }
    public IReadOnlyList<string> Columns { get; }
    public long TotalRows { get; }
    public int RowsIn(int shardId) => _shards[shardId].Rows;
    public RowBlock Read(int shardId) => _shards[shardId];
}
