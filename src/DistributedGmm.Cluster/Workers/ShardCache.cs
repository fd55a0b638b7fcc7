using System.Collections.Concurrent;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// A worker's decoded shards, kept while they fit in <see cref="BudgetBytes"/>; what does not fit is read again
/// each time it is needed. A budget of 0 turns caching off. Safe for concurrent readers.
/// </summary>
public sealed class ShardCache(IShardSource source, long budgetBytes)
{
    private readonly ConcurrentDictionary<int, RowBlock> _blocks = new();
    private long _usedBytes;

    public long BudgetBytes { get; } = Math.Max(0, budgetBytes);
    public long UsedBytes => Interlocked.Read(ref _usedBytes);
    public int CachedShards => _blocks.Count;

    public RowBlock Get(int shardId)
    {
        if (_blocks.TryGetValue(shardId, out var cached)) return cached;
        var block = source.Read(shardId);
        var size = (long)block.Values.Length * sizeof(double);
        if (Interlocked.Add(ref _usedBytes, size) > BudgetBytes || !_blocks.TryAdd(shardId, block))
            Interlocked.Add(ref _usedBytes, -size);
        return block;
    }
}
