using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// Runs a per-shard computation over the shards of some groups in parallel (bounded), and hands each group's
/// per-shard results, in shard order, to a fold as soon as the group's last shard is done. A failing shard
/// fails its group only; the other groups go on.
/// </summary>
internal static class GroupRunner
{
    public static void Run<T>(int[] groups, int shardCount, int parallelism, Func<int, T> perShard,
        Func<T[], double[]> foldGroup, Action<int, double[]> groupDone, Action<int, Exception> groupFailed,
        CancellationToken cancellationToken)
    {
        var results = new T[groups.Length][];
        var remaining = new int[groups.Length];
        var failed = new int[groups.Length];
        var work = new List<(int Slot, int Index, int Shard)>();
        for (var slot = 0; slot < groups.Length; slot++)
        {
            var count = ShardReduction.ShardsIn(groups[slot], shardCount);
            results[slot] = new T[count];
            remaining[slot] = count;
            for (var i = 0; i < count; i++) work.Add((slot, i, ShardReduction.FirstShard(groups[slot]) + i));
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
        Parallel.For(0, work.Count, options, w =>
        {
            var (slot, index, shard) = work[w];
            if (Volatile.Read(ref failed[slot]) != 0) return;
            try
            {
                results[slot][index] = perShard(shard);
            }
            catch (Exception e)
            {
                if (Interlocked.Exchange(ref failed[slot], 1) == 0) groupFailed(groups[slot], e);
                return;
            }
            if (Interlocked.Decrement(ref remaining[slot]) == 0 && Volatile.Read(ref failed[slot]) == 0)
            {
                double[] folded;
                try
                {
                    folded = foldGroup(results[slot]);
                }
                catch (Exception e)
                {
                    groupFailed(groups[slot], e);
                    return;
                }
                groupDone(groups[slot], folded);
            }
        });
    }
}
