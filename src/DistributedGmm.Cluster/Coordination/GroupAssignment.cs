using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// Which worker owns which shard group. Groups go out in contiguous runs balanced by rows (good for caches and
/// for balance), in the order the workers registered; a lost worker's groups go, one by one, to the survivor with
/// the fewest rows. The owner of a group never changes the result: only the order of the fold does, and that is
/// fixed by group id.
/// </summary>
public sealed class GroupAssignment<TWorker> where TWorker : notnull
{
    private readonly long[] _groupRows;
    private readonly TWorker?[] _owner;
    private readonly Dictionary<TWorker, long> _load = new();

    public GroupAssignment(long[] groupRows) 
    {
        _groupRows = groupRows;
        _owner = new TWorker?[groupRows.Length];
    }

    public static long[] RowsPerGroup(int shardCount, Func<int, int> rowsInShard)
    {
        var rows = new long[ShardReduction.GroupCount(shardCount)];
        for (var shard = 0; shard < shardCount; shard++) rows[ShardReduction.GroupOf(shard)] += rowsInShard(shard);
        return rows;
    }

    public int GroupCount => _groupRows.Length;
    public TWorker Owner(int group) => _owner[group] ?? throw new InvalidOperationException($"group {group} has no owner");

    public int[] GroupsOf(TWorker worker) =>
        Enumerable.Range(0, _groupRows.Length).Where(g => EqualityComparer<TWorker>.Default.Equals(_owner[g], worker)).ToArray();

    /// <summary>Assigns every group among <paramref name="workers"/>, contiguous runs in their order.</summary>
    public void Distribute(IReadOnlyList<TWorker> workers)
    {
        if (workers.Count == 0) throw new InvalidOperationException("no workers to assign groups to");
        _load.Clear();
        foreach (var w in workers) _load[w] = 0;
        var total = _groupRows.Sum();
        long dealt = 0;
        var current = 0;
        for (var g = 0; g < _groupRows.Length; g++)
        {
            // Move to the next worker once this one holds its share of the rows.
            while (current < workers.Count - 1 && dealt >= total * (current + 1) / workers.Count) current++;
            Give(g, workers[current]);
            dealt += _groupRows[g];
        }
    }

    /// <summary>Hands <paramref name="group"/> to the least-loaded worker among <paramref name="candidates"/>.</summary>
    public TWorker Reassign(int group, IReadOnlyList<TWorker> candidates)
    {
        if (candidates.Count == 0) throw new InvalidOperationException("no workers to reassign to");
        var previous = _owner[group];
        if (previous is not null && _load.ContainsKey(previous)) _load[previous] -= _groupRows[group];
        var target = candidates.MinBy(w => _load.GetValueOrDefault(w))!;
        Give(group, target);
        return target;
    }

    public void Forget(TWorker worker) => _load.Remove(worker);

    private void Give(int group, TWorker worker)
    {
        _owner[group] = worker;
        _load[worker] = _load.GetValueOrDefault(worker) + _groupRows[group];
    }
}
