namespace DistributedGmm.Data.Tests;

/// <summary>Shards are cut from the row counts alone, equal within a row group, and numerous enough to share out.</summary>
public class ShardCuttingTests
{
    [Fact]
    public void A_duckdb_file_of_200k_rows_is_cut_into_even_shards_enough_for_every_thread()
    {
        // DuckDB's default row groups of 122,880 rows: 122,880 + 77,120. Cut at 65,536 rows it made shards of
        // 65,536, 57,344, 65,536 and 11,584 rows, and one of two threads finished 23% of an iteration after the other.
        long[] rowGroups = [122_880, 77_120];
        var shardRows = ShardCutting.ShardRows(rowGroups.Sum(), DataOptions.DefaultShardRows);
        var shards = rowGroups.SelectMany(r => ShardCutting.Slices(r, shardRows)).Select(s => s.Rows).ToArray();
        Assert.True(shards.Length >= ShardCutting.TargetShards * 3 / 4, $"{shards.Length} shards");
        Assert.True(shards.Max() <= ShardCutting.MinimumShardRows);
        // Threads taking shards in order as they finish (the workers' Parallel.For): the last ends within a shard of the first.
        foreach (var threads in new[] { 2, 3, 4 })
        {
            var finish = new long[threads];
            foreach (var rows in shards) finish[Array.IndexOf(finish, finish.Min())] += rows;
            Assert.True(finish.Max() - finish.Min() <= shards.Max(), $"{threads} threads: {string.Join(", ", finish)}");
            Assert.True((double)(finish.Max() - finish.Min()) / finish.Max() < (threads == 2 ? 0.05 : 0.08), $"{threads} threads wait: {string.Join(", ", finish)}");
        }
    }

    [Theory]
    [InlineData(2048, 1000, new[] { 683, 683, 682 })]
    [InlineData(2000, 1000, new[] { 1000, 1000 })]
    [InlineData(999, 1000, new[] { 999 })]
    [InlineData(7, 2, new[] { 2, 2, 2, 1 })]
    public void A_row_group_is_cut_into_the_fewest_slices_of_equal_size(long rows, int shardRows, int[] expected)
    {
        var slices = ShardCutting.Slices(rows, shardRows).ToArray();
        Assert.Equal(expected, slices.Select(s => s.Rows));
        Assert.Equal(slices.Select(s => s.Offset), slices.Select((s, i) => (long)slices.Take(i).Sum(p => p.Rows)));
    }

    [Fact]
    public void Any_row_group_is_covered_exactly_by_slices_within_the_limit_one_row_apart()
    {
        var random = new Random(4);
        for (var trial = 0; trial < 500; trial++)
        {
            long rows = random.Next(1, 2_000_000);
            var limit = random.Next(1, 100_000);
            var slices = ShardCutting.Slices(rows, limit).ToArray();
            Assert.Equal(rows, slices.Sum(s => (long)s.Rows));
            Assert.Equal((rows + limit - 1) / limit, slices.Length);
            Assert.True(slices.Max(s => s.Rows) <= limit && slices.Max(s => s.Rows) - slices.Min(s => s.Rows) <= 1);
        }
    }

    [Theory]
    [InlineData(3_000, 65_536, 4_096)]           // small data: row groups under 4,096 rows stay whole
    [InlineData(200_000, 65_536, 4_096)]
    [InlineData(1_000_000, 65_536, 15_625)]
    [InlineData(100_000_000, 65_536, 65_536)]    // large data: the limit
    [InlineData(1_000_000, 1_000, 1_000)]        // a smaller --shard-rows is taken as given
    public void The_shard_size_shrinks_to_make_enough_shards(long totalRows, int limit, int expected) =>
        Assert.Equal(expected, ShardCutting.ShardRows(totalRows, limit));
}
