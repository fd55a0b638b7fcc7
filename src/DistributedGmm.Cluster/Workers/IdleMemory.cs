namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// Hands the memory of finished jobs back to the operating system. A worker node lives for many jobs, and a fit's
/// shard cache can be most of the machine: without this, the garbage collector keeps the freed heap committed
/// until allocation pressure returns, and an idle worker holds the high-water mark of every job it served.
/// </summary>
internal static class IdleMemory
{
    /// <summary>
    /// A full, compacting collection that also decommits the free space; only ever when no job runs. Objects with
    /// finalizers (file handles, thread-local storage) are freed only by the collection after their finalizer has
    /// run, so the finalizers are awaited between two collections.
    /// </summary>
    public static void Return()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
