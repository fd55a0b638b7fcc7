using System.Collections.Concurrent;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// A worker's decoded shards, kept while they fit in <see cref="BudgetBytes"/>; what does not fit is read again
/// each time it is needed. A budget of 0 turns caching off. Each shard's decoded values are hashed once, the
/// first time it is read (<see cref="HashOf"/>), so that the coordinator can tell two copies of the data apart.
/// Safe for concurrent readers.
/// </summary>
public sealed class ShardCache(IShardSource source, long budgetBytes)
{
    private readonly ConcurrentDictionary<int, RowBlock> _blocks = new();
    private readonly ConcurrentDictionary<int, ulong> _hashes = new();
    private long _usedBytes;
    private int _shardsAtLastCompaction;

    public long BudgetBytes { get; } = Math.Max(0, budgetBytes);
    public long UsedBytes => Interlocked.Read(ref _usedBytes);
    public int CachedShards => _blocks.Count;

    public RowBlock Get(int shardId)
    {
        if (_blocks.TryGetValue(shardId, out var cached)) return cached;
        var block = source.Read(shardId);
        if (!_hashes.ContainsKey(shardId)) _hashes.TryAdd(shardId, Data.ContentHash.Of(block));
        var size = ((long)block.Values.Length + (block.Weights?.Length ?? 0)) * sizeof(double);
        if (Interlocked.Add(ref _usedBytes, size) > BudgetBytes || !_blocks.TryAdd(shardId, block))
            Interlocked.Add(ref _usedBytes, -size);
        return block;
    }

    /// <summary>The content hash of a shard this cache has read (<see cref="Get"/>), else 0.</summary>
    public ulong HashOf(int shardId) => _hashes.GetValueOrDefault(shardId);

    /// <summary>
    /// Call after a round of reads: if it cached new shards, runs one compacting collection and returns true. Decoding
    /// leaves Parquet.Net's page copies on the large object heap, freed by then but still committed, and the GC
    /// keeps them committed for the rest of the fit unless asked (about 10 MB of a 220 MB peak for 128 MB of data);
    /// the cached blocks are pinned, so the collection moves only small things and takes milliseconds.
    /// </summary>
    public bool CompactAfterFilling()
    {
        var cached = CachedShards;
        if (Interlocked.Exchange(ref _shardsAtLastCompaction, cached) == cached) return false;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
