using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// The coordinator's record of what each shard's decoded values were: the first content hash reported for a shard
/// (or the one a checkpoint recorded) is the shard's identity, and a later report that differs means a node reads
/// another copy of the data, or the data changed since the checkpoint. 0 means not seen yet.
/// </summary>
internal sealed class ShardIdentity
{
    private readonly ulong[] _hashes;
    private readonly string?[] _seenBy;
    private readonly Func<int, string> _describe;

    public ShardIdentity(int shardCount, IReadOnlyList<ulong> recorded, Func<int, string> describe)
    {
        _hashes = new ulong[shardCount];
        _seenBy = new string?[shardCount];
        _describe = describe;
        if (recorded.Count == shardCount)
            for (var s = 0; s < shardCount; s++)
                if (recorded[s] != 0) (_hashes[s], _seenBy[s]) = (recorded[s], "the fit that wrote the checkpoint");
    }

    /// <summary>The hash of every shard seen so far, in shard order (what a checkpoint records).</summary>
    public IReadOnlyList<ulong> Hashes => _hashes;

    /// <summary>
    /// Records the hashes <paramref name="node"/> reported for the shards from <paramref name="firstShard"/> on; throws
    /// <see cref="DataException"/> naming the file, row group and node when one differs from the shard's identity.
    /// </summary>
    public void Check(int firstShard, IReadOnlyList<ulong> hashes, string node)
    {
        for (var i = 0; i < hashes.Count; i++)
        {
            var shard = firstShard + i;
            if (hashes[i] == 0 || shard >= _hashes.Length) continue;
            if (_hashes[shard] == 0)
            {
                (_hashes[shard], _seenBy[shard]) = (hashes[i], $"node {node}");
                continue;
            }
            if (_hashes[shard] != hashes[i])
                throw new DataException($"{_describe(shard)}: node {node} decoded other values than {_seenBy[shard]} did "
                    + "(content hashes differ): the copies of this file differ, or it changed during or since the fit");
        }
    }
}
