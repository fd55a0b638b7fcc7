using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster;

/// <summary>A fit as the embedded runtime runs it: the mathematics' settings and the runtime's own.</summary>
public sealed record FitJob
{
    public required FitSettings Settings { get; init; }

    /// <summary>Shard workers in the process.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory for decoded shards, shared by the workers; 0 turns caching off.</summary>
    public long CacheBytes { get; init; } = DefaultCacheBytes;

    /// <summary>
    /// The runtime's own settings (the <c>gmm</c> section: request timeout; on a cluster also the join timeout), whole,
    /// as the coordinator node's configuration read them once; an embedded fit runs on their defaults.
    /// </summary>
    public GmmSettings Runtime { get; init; } = GmmSettings.Default;

    /// <summary>Tries of one shard group (timeouts, lost workers, failures) before the fit fails.</summary>
    public int MaxGroupAttempts { get; init; } = 3;

    /// <summary>
    /// Most threads one worker computes shards on; null: the process's cores. The workers of one process draw
    /// from one thread pool, so together they never use more than the cores, and a worker whose groups finish
    /// first leaves its cores to the others (a strict cores ÷ workers split idles them instead, and an iteration
    /// waits for the slowest worker).
    /// </summary>
    public int? WorkerParallelism { get; init; }

    /// <summary>Continue from a checkpoint's state (see <see cref="Coordination.FitPlan.Resume"/>).</summary>
    public FitState? Resume { get; init; }

    /// <summary>Called after every iteration with the state to checkpoint (see <see cref="Coordination.FitPlan.Checkpoint"/>).</summary>
    public Action<FitState>? Checkpoint { get; init; }

    /// <summary>A quarter of the memory available to this process.</summary>
    public static long DefaultCacheBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    public int ParallelismPerWorker => Math.Max(1, WorkerParallelism ?? Environment.ProcessorCount);
}
