namespace DistributedGmm.Core.Estimation;

/// <summary>
/// The one order in which per-shard statistics are added up, fixed by the data: shards fold left, in shard-id
/// order, within groups of <see cref="GroupSize"/> consecutive shards; the groups then fold left in group order.
/// A worker sends one sum per group it holds, so messages stay few, and the total is bit-identical whatever
/// the number of workers or the assignment of groups to them.
/// </summary>
public static class ShardReduction
{
    public const int GroupSize = 8;

    public static int GroupCount(int shardCount) => (shardCount + GroupSize - 1) / GroupSize;
    public static int GroupOf(int shardId) => shardId / GroupSize;
    public static int FirstShard(int group) => group * GroupSize;
    public static int ShardsIn(int group, int shardCount) => Math.Min(GroupSize, shardCount - group * GroupSize);

    /// <summary>Folds statistics left in the order given (shards of one group, or groups).</summary>
    public static SufficientStatistics Fold(IEnumerable<SufficientStatistics> inOrder)
    {
        SufficientStatistics? total = null;
        foreach (var s in inOrder)
        {
            if (total is null) total = s.Clone();
            else total.Add(s);
        }
        return total ?? throw new ArgumentException("nothing to fold");
    }

    /// <summary>The canonical total of per-shard statistics given in shard-id order.</summary>
    public static SufficientStatistics Reduce(IReadOnlyList<SufficientStatistics> perShard)
    {
        var groups = new List<SufficientStatistics>(GroupCount(perShard.Count));
        for (var g = 0; g < GroupCount(perShard.Count); g++)
            groups.Add(Fold(perShard.Skip(FirstShard(g)).Take(ShardsIn(g, perShard.Count))));
        return Fold(groups);
    }
}
