namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// Hands the memory of finished jobs back to the operating system. A worker node lives for many jobs, and a fit's
/// shard cache can be most of the machine: without this, the garbage collector keeps the freed heap committed
/// until allocation pressure returns, and an idle worker holds the high-water mark of every job it served.
/// </summary>
internal static class IdleMemory
{
    /// <summary>A full, compacting collection that also decommits the free space; only ever when no job runs.</summary>
    public static void Return() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
