using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Tests;

public class ShardCacheTests
{
    [Fact]
    public void Shards_are_kept_within_the_budget_and_the_rest_is_read_again()
    {
        var source = new CountingSource(new InMemoryShardSource(TestData.Shards(1000)));
        var block = (long)source.Read(0).Values.Length * 8;
        source.Reads = 0;
        var cache = new ShardCache(source, block);
        for (var round = 0; round < 3; round++)
        for (var shard = 0; shard < 3; shard++)
            cache.Get(shard);
        Assert.Equal(1, cache.CachedShards);
        Assert.True(cache.UsedBytes <= cache.BudgetBytes);
        Assert.Equal(1 + 2 * 3, source.Reads);

        var off = new ShardCache(source, 0);
        off.Get(0);
        off.Get(0);
        Assert.Equal(0, off.CachedShards);
    }

    [Fact]
    public void A_shards_hash_covers_its_weights_and_is_unchanged_without_them()
    {
        var shards = TestData.Shards(300);
        var block = shards[0];
        RowBlock Weighted(double last) => new(block.Values, block.Rows, block.Dimensions,
            Enumerable.Range(0, block.Rows).Select(i => i == block.Rows - 1 ? last : 1.0).ToArray());
        ulong HashOf(RowBlock shard)
        {
            var cache = new ShardCache(new InMemoryShardSource([shard]), long.MaxValue);
            cache.Get(0);
            return cache.HashOf(0);
        }

        Assert.Equal(Data.ContentHash.Of(block.Span), HashOf(block));
        Assert.NotEqual(HashOf(Weighted(1)), HashOf(Weighted(2)));
        Assert.NotEqual(HashOf(block), HashOf(Weighted(1)));
        // The weights count against the budget: a block and its weights, not the block alone.
        var cache = new ShardCache(new InMemoryShardSource([Weighted(1)]), (long)block.Values.Length * 8);
        cache.Get(0);
        Assert.Equal(0, cache.CachedShards);
    }

    [Fact]
    public void Compacts_once_after_each_round_that_cached_new_shards()
    {
        var source = new InMemoryShardSource(TestData.Shards(1000));
        var cache = new ShardCache(source, long.MaxValue);
        Assert.False(cache.CompactAfterFilling());
        cache.Get(0);
        cache.Get(1);
        Assert.True(cache.CompactAfterFilling());
        cache.Get(0);
        Assert.False(cache.CompactAfterFilling());
        cache.Get(2);
        Assert.True(cache.CompactAfterFilling());

        var off = new ShardCache(source, 0);
        off.Get(0);
        Assert.False(off.CompactAfterFilling());
    }

    private sealed class CountingSource(IShardSource inner) : SourceDecorator(inner)
    {
        public int Reads;

        public override RowBlock Read(int shardId)
        {
            Interlocked.Increment(ref Reads);
            return base.Read(shardId);
        }
    }
}
