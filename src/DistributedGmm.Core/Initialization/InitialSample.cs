using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Initialization;

/// <summary>
/// Which rows initialisation sees: each row of each shard is kept by a hash of (seed, shard id, row), with
/// probability sampleRows / totalRows. The sample depends only on the data and the seed, so it is the same
/// whether one process or many workers hold the shards, and each shard's part can be drawn where the shard lives.
/// </summary>
public static class InitialSample
{
    /// <summary>The rows of <paramref name="shard"/> that belong to the sample, as a new block (possibly empty).</summary>
    public static RowBlock Draw(RowBlock shard, int shardId, long totalRows, FitSettings settings)
    {
        var d = shard.Dimensions;
        if (totalRows <= settings.InitSampleRows) return new RowBlock(shard.Span.ToArray(), shard.Rows, d);
        var threshold = (ulong)(settings.InitSampleRows / (double)totalRows * ulong.MaxValue);
        var kept = new List<int>();
        var salt = DeterministicRandom.Mix(unchecked((ulong)settings.Seed) ^ 0xA5A5_5A5A_0F0F_F0F0UL);
        for (var i = 0; i < shard.Rows; i++)
        {
            var key = DeterministicRandom.Mix(salt ^ DeterministicRandom.Mix(((ulong)(uint)shardId << 32) | (uint)i));
            if (key < threshold) kept.Add(i);
        }
        // Row indices first, then one exact-size copy: no growing list of values twice the sample's size.
        var values = new double[kept.Count * d];
        for (var j = 0; j < kept.Count; j++) shard.Row(kept[j]).CopyTo(values.AsSpan(j * d, d));
        return new RowBlock(values, kept.Count, d);
    }

    /// <summary>Joins per-shard samples in shard order into one block.</summary>
    public static RowBlock Concatenate(IReadOnlyList<RowBlock> samplesInShardOrder, int dimensions)
    {
        var rows = 0;
        foreach (var s in samplesInShardOrder) rows += s.Rows;
        var values = new double[rows * dimensions];
        var offset = 0;
        foreach (var s in samplesInShardOrder)
        {
            s.Span.CopyTo(values.AsSpan(offset));
            offset += s.Rows * dimensions;
        }
        return new RowBlock(values, rows, dimensions);
    }
}
