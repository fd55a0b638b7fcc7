namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// The removals of outputs a predict job started (objects take requests, so they run off the actor's thread): the
/// caller awaits them all before its process may exit, including those started after the job's result was known.
/// </summary>
internal sealed class PendingRemovals
{
    private readonly Lock _gate = new();
    private readonly List<Task> _tasks = [];

    public void Add(Task removal)
    {
        lock (_gate) _tasks.Add(removal);
    }

    /// <summary>Completes when every removal added so far, and any added meanwhile, has ended (they never throw).</summary>
    public async Task WhenAllAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_gate)
            {
                pending = _tasks.Where(t => !t.IsCompleted).ToArray();
            }
            if (pending.Length == 0) return;
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }
}
