using System.Collections.Concurrent;
using System.Numerics;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// A worker's decoded shards, kept while they fit in <see cref="BudgetBytes"/>; what does not fit is read again
/// each time it is needed. A budget of 0 turns caching off. Each shard's decoded values are hashed once, the
/// first time it is read (<see cref="HashOf"/>), so that the coordinator can tell two copies of the data apart.
/// Safe for concurrent readers.
/// </summary>
/// <remarks>
/// When the source's values are all float32 (<see cref="IShardSource.ValuesAreSingle"/>: FLOAT columns) a shard is
/// kept in four bytes a value and widened back on each <see cref="Get"/> into a buffer of the calling thread: the
/// widening is exact, so the E-step sees the very doubles a float64 cache would hold, and the model is the same bits.
/// </remarks>
public sealed class ShardCache(IShardSource source, long budgetBytes)
{
    private readonly ConcurrentDictionary<int, RowBlock> _blocks = new();
    private readonly ConcurrentDictionary<int, (float[] Values, int Rows, double[]? Weights)> _singles = new();
    private readonly ConcurrentDictionary<int, ulong> _hashes = new();
    private readonly bool _single = source.ValuesAreSingle;
    private long _usedBytes;
    private int _shardsAtLastCompaction;

    [ThreadStatic] private static double[]? t_widened;

    public long BudgetBytes { get; } = Math.Max(0, budgetBytes);
    public long UsedBytes => Interlocked.Read(ref _usedBytes);
    public int CachedShards => _blocks.Count + _singles.Count;

    /// <summary>Bytes a cached value takes: 4 when the values are float32, else 8.</summary>
    public int BytesPerValue => _single ? sizeof(float) : sizeof(double);

    /// <summary>
    /// The shard's rows. With float32 values the block is this thread's buffer, valid until the thread's next call:
    /// use it, or copy from it, before asking for another shard.
    /// </summary>
    public RowBlock Get(int shardId)
    {
        if (_single) return GetSingle(shardId);
        if (_blocks.TryGetValue(shardId, out var cached)) return cached;
        var block = source.Read(shardId);
        if (!_hashes.ContainsKey(shardId)) _hashes.TryAdd(shardId, Data.ContentHash.Of(block));
        var size = ((long)block.Values.Length + (block.Weights?.Length ?? 0)) * sizeof(double);
        if (Interlocked.Add(ref _usedBytes, size) > BudgetBytes || !_blocks.TryAdd(shardId, block))
            Interlocked.Add(ref _usedBytes, -size);
        return block;
    }

    private RowBlock GetSingle(int shardId)
    {
        var d = source.Dimensions;
        var buffer = Buffer(source.RowsIn(shardId) * d);
        if (_singles.TryGetValue(shardId, out var kept))
        {
            Widen(kept.Values, buffer);
            return new RowBlock(buffer, kept.Rows, d, kept.Weights);
        }
        // Read into this thread's buffer: the only float64 copy, so caching adds four bytes a value and no garbage.
        var block = source.Read(shardId, buffer);
        if (!_hashes.ContainsKey(shardId)) _hashes.TryAdd(shardId, Data.ContentHash.Of(block.Span));
        // Every block this cache returns holds float32 values, cached or not: exact for FLOAT columns, and for DOUBLE
        // columns read with float32 values the same rounding whatever the budget or the number of workers.
        var values = block.Span;
        for (var i = 0; i < values.Length; i++) buffer[i] = (float)values[i];
        var rounded = new RowBlock(buffer, block.Rows, d, block.Weights);
        // Sample weights (a fresh array from the reader) stay float64: only the features are float32.
        var size = (long)values.Length * sizeof(float) + (long)(block.Weights?.Length ?? 0) * sizeof(double);
        if (Interlocked.Add(ref _usedBytes, size) > BudgetBytes)
        {
            Interlocked.Add(ref _usedBytes, -size);
            return rounded;
        }
        var narrow = GC.AllocateUninitializedArray<float>(values.Length, pinned: true);
        for (var i = 0; i < values.Length; i++) narrow[i] = (float)buffer[i];
        if (!_singles.TryAdd(shardId, (narrow, block.Rows, block.Weights))) Interlocked.Add(ref _usedBytes, -size);
        return rounded;
    }

    private static double[] Buffer(int length)
    {
        if (t_widened is not { } b || b.Length < length) t_widened = b = GC.AllocateUninitializedArray<double>(length, pinned: true);
        return b;
    }

    /// <summary>float32 → float64, exact.</summary>
    private static void Widen(float[] from, double[] to)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<float>.Count <= from.Length; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(from, i), out var low, out var high);
                low.CopyTo(to, i);
                high.CopyTo(to, i + Vector<double>.Count);
            }
        }
        for (; i < from.Length; i++) to[i] = from[i];
    }

    /// <summary>The content hash of a shard this cache has read (<see cref="Get"/>), else 0.</summary>
    public ulong HashOf(int shardId) => _hashes.GetValueOrDefault(shardId);

    /// <summary>
    /// Call after a round of reads: if it cached new shards, runs one compacting collection and returns true. Decoding
    /// leaves Parquet.Net's page copies on the large object heap, freed by then but still committed, and the GC
    /// keeps them committed for the rest of the fit unless asked (tests/benchmarks/README.md, peak memory); the
    /// cached blocks are pinned, so the collection moves only small things.
    /// </summary>
    public bool CompactAfterFilling()
    {
        var cached = CachedShards;
        if (Interlocked.Exchange(ref _shardsAtLastCompaction, cached) == cached) return false;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
