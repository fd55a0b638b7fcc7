using DistributedGmm.Cluster.Coordination;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Tests;

/// <summary>The first hash reported for a shard is its identity; a different later one names the shard and both nodes.</summary>
public sealed class ShardIdentityTests
{
    [Fact]
    public void A_later_hash_that_differs_fails_naming_the_shard_and_the_nodes()
    {
        var identity = new ShardIdentity(10, [], s => $"f.parquet, row group {s / 4}");
        identity.Check(8, [11, 12], "akka.tcp://gmm@a:1");
        identity.Check(8, [11, 12], "akka.tcp://gmm@b:2"); // the same values elsewhere: fine
        identity.Check(0, [0, 5], "akka.tcp://gmm@b:2");    // 0: not read, nothing recorded for shard 0
        Assert.Equal([0UL, 5, 0, 0, 0, 0, 0, 0, 11, 12], identity.Hashes);
        var error = Assert.Throws<DataException>(() => identity.Check(8, [11, 13], "akka.tcp://gmm@c:3"));
        Assert.StartsWith("f.parquet, row group 2: node akka.tcp://gmm@c:3 decoded other values than node akka.tcp://gmm@a:1 did", error.Message);
    }

    [Fact]
    public void A_checkpoints_hashes_are_the_identity_of_a_resumed_fit()
    {
        var identity = new ShardIdentity(2, [7, 8], s => $"shard {s}");
        identity.Check(0, [7, 8], "n");
        var error = Assert.Throws<DataException>(() => identity.Check(0, [7, 9], "n"));
        Assert.StartsWith("shard 1: node n decoded other values than the fit that wrote the checkpoint did", error.Message);
    }
}
