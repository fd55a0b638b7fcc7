namespace DistributedGmm.Data;

/// <summary>
/// How row groups are cut into shards, from the data's row counts alone (never the cluster's size, so shard ids and
/// the reduction order stay the same for any number of workers). Threads take shards as they come, so an iteration
/// ends at most about one shard after the ideal; two rules keep that wait small whatever the row groups:
/// <list type="bullet">
/// <item>a row group is cut into the fewest slices that fit the shard size, all of one size give or take a row
/// (not full slices and a short remainder, which left one thread a shard's worth behind the other);</item>
/// <item>the shard size shrinks, down to <see cref="MinimumShardRows"/>, until the data makes at least
/// <see cref="TargetShards"/> shards, so small data still spreads over every thread.</item>
/// </list>
/// </summary>
public static class ShardCutting
{
    /// <summary>Shards the data is cut into at least, when it has the rows for them.</summary>
    public const int TargetShards = 64;

    /// <summary>The smallest shard size <see cref="TargetShards"/> leads to (a smaller --shard-rows is taken as given).</summary>
    public const int MinimumShardRows = 4096;

    /// <summary>The shard size for <paramref name="totalRows"/> rows: at most <paramref name="maxShardRows"/>.</summary>
    public static int ShardRows(long totalRows, int maxShardRows) =>
        (int)Math.Min(maxShardRows, Math.Max(MinimumShardRows, (totalRows + TargetShards - 1) / TargetShards));

    /// <summary>A row group of <paramref name="rows"/> rows as the fewest slices of at most <paramref name="shardRows"/>, the first <c>rows mod n</c> one row longer.</summary>
    public static IEnumerable<(long Offset, int Rows)> Slices(long rows, int shardRows)
    {
        if (shardRows < 1) throw new ArgumentOutOfRangeException(nameof(shardRows), "at least one row a shard");
        var count = (rows + shardRows - 1) / shardRows;
        long offset = 0;
        for (long i = 0; i < count; i++)
        {
            var size = (int)(rows / count + (i < rows % count ? 1 : 0));
            yield return (offset, size);
            offset += size;
        }
    }
}
