using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// One request round (a sample or an E-step) over every group: who is computing each group, since when, in
/// which attempt, the chunks received so far, and the finished results, kept by group id.
/// </summary>
public sealed class Round<TWorker>(int step, int groupCount) where TWorker : class
{
    private readonly double[]?[] _results = new double[]?[groupCount];
    private readonly Pending?[] _pending = new Pending?[groupCount];
    private readonly Dictionary<(int Group, int Attempt), ChunkAssembler> _assembling = new();

    public int Step { get; } = step;
    public int Done { get; private set; }
    public bool Complete => Done == _results.Length;
    public IReadOnlyList<double[]> Results => Complete ? _results.Select(r => r!).ToArray() : throw new InvalidOperationException("the round is not complete");
    public int Attempts(int group) => _pending[group]?.Attempt ?? 0;

    public void Assign(int group, TWorker worker, int attempt, long deadline) =>
        _pending[group] = new Pending(worker, attempt, deadline);

    /// <summary>Takes a chunk; true when it completed its group (the first complete attempt wins).</summary>
    public bool Accept(GroupResult chunk)
    {
        if (chunk.Group < 0 || chunk.Group >= _results.Length || _results[chunk.Group] is not null) return false;
        var key = (chunk.Group, chunk.Attempt);
        if (!_assembling.TryGetValue(key, out var assembler)) _assembling[key] = assembler = new ChunkAssembler(chunk.Count);
        if (!assembler.Add(chunk.Index, chunk.Count, chunk.Values)) return false;
        _results[chunk.Group] = assembler.Assemble();
        _pending[chunk.Group] = null;
        foreach (var stale in _assembling.Keys.Where(k => k.Group == chunk.Group).ToArray()) _assembling.Remove(stale);
        Done++;
        return true;
    }

    public bool IsOpen(int group) => group >= 0 && group < _results.Length && _results[group] is null;

    /// <summary>The open groups that <paramref name="worker"/> is computing.</summary>
    public int[] OpenGroupsOf(TWorker worker) =>
        Enumerable.Range(0, _pending.Length).Where(g => _pending[g] is { } p && EqualityComparer<TWorker>.Default.Equals(p.Worker, worker)).ToArray();

    /// <summary>The open groups whose deadline has passed at <paramref name="now"/>.</summary>
    public int[] Overdue(long now) =>
        Enumerable.Range(0, _pending.Length).Where(g => _pending[g] is { } p && p.Deadline <= now).ToArray();

    /// <summary>A sign of life from <paramref name="worker"/>: its open groups' deadlines move to <paramref name="deadline"/>.</summary>
    public void Extend(TWorker worker, long deadline)
    {
        foreach (var g in OpenGroupsOf(worker)) _pending[g] = _pending[g]! with { Deadline = deadline };
    }

    private sealed record Pending(TWorker Worker, int Attempt, long Deadline);
}
