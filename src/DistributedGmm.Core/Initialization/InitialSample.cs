using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Initialization;

/// <summary>
/// Which rows initialisation sees: each row of each shard is kept by a hash of (seed, shard id, row), with
/// probability sampleRows / totalRows. The sample depends only on the data and the seed, so it is the same
/// whether one process or many workers hold the shards, and each shard's part can be drawn where the shard lives.
/// Weighted rows keep their weights (initialisation then draws and averages by them); a row of weight 0 is never
/// drawn, as it is not in the data.
/// </summary>
public static class InitialSample
{
    /// <summary>The rows of <paramref name="shard"/> that belong to the sample, as a new block (possibly empty).</summary>
    public static RowBlock Draw(RowBlock shard, int shardId, long totalRows, FitSettings settings)
    {
        var d = shard.Dimensions;
        var all = totalRows <= settings.InitSampleRows;
        if (all && !shard.IsWeighted) return new RowBlock(shard.Span.ToArray(), shard.Rows, d);
        var threshold = (ulong)(settings.InitSampleRows / (double)totalRows * ulong.MaxValue);
        var kept = new List<int>();
        var salt = DeterministicRandom.Mix(unchecked((ulong)settings.Seed) ^ 0xA5A5_5A5A_0F0F_F0F0UL);
        for (var i = 0; i < shard.Rows; i++)
        {
            if (shard.Weight(i) == 0) continue;
            var key = all ? 0 : DeterministicRandom.Mix(salt ^ DeterministicRandom.Mix(((ulong)(uint)shardId << 32) | (uint)i));
            if (all || key < threshold) kept.Add(i);
        }
        // Row indices first, then one exact-size copy: no growing list of values twice the sample's size.
        var values = new double[kept.Count * d];
        for (var j = 0; j < kept.Count; j++) shard.Row(kept[j]).CopyTo(values.AsSpan(j * d, d));
        var weights = shard.IsWeighted ? kept.Select(shard.Weight).ToArray() : null;
        return new RowBlock(values, kept.Count, d, weights);
    }

    /// <summary>A sample as it travels: the values, each row followed by its weight when the sample is weighted.</summary>
    public static double[] ToWire(RowBlock sample)
    {
        if (!sample.IsWeighted) return sample.Span.ToArray();
        var d = sample.Dimensions;
        var wire = new double[sample.Rows * (d + 1)];
        for (var i = 0; i < sample.Rows; i++)
        {
            sample.Row(i).CopyTo(wire.AsSpan(i * (d + 1), d));
            wire[i * (d + 1) + d] = sample.Weight(i);
        }
        return wire;
    }

    /// <summary>The inverse of <see cref="ToWire"/>.</summary>
    public static RowBlock FromWire(double[] wire, int dimensions, bool weighted)
    {
        if (!weighted) return new RowBlock(wire, wire.Length / dimensions, dimensions);
        var width = dimensions + 1;
        if (wire.Length % width != 0) throw new ArgumentException($"a weighted sample of {dimensions} columns cannot hold {wire.Length} values");
        var rows = wire.Length / width;
        var values = new double[rows * dimensions];
        var weights = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            wire.AsSpan(i * width, dimensions).CopyTo(values.AsSpan(i * dimensions));
            weights[i] = wire[i * width + dimensions];
        }
        return new RowBlock(values, rows, dimensions, weights);
    }

    /// <summary>Joins per-shard samples in shard order into one block.</summary>
    public static RowBlock Concatenate(IReadOnlyList<RowBlock> samplesInShardOrder, int dimensions)
    {
        var rows = 0;
        foreach (var s in samplesInShardOrder) rows += s.Rows;
        var values = new double[rows * dimensions];
        var weighted = samplesInShardOrder.Any(s => s.IsWeighted);
        var weights = weighted ? new double[rows] : null;
        var offset = 0;
        foreach (var s in samplesInShardOrder)
        {
            s.Span.CopyTo(values.AsSpan(offset));
            if (weights is not null)
                for (var i = 0; i < s.Rows; i++) weights[offset / dimensions + i] = s.Weight(i);
            offset += s.Rows * dimensions;
        }
        return new RowBlock(values, rows, dimensions, weights);
    }
}
