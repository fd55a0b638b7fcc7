
namespace DistributedGmm.Cluster.Workers;

/// <summary>How a worker node serves fits: shard workers per fit, their threads and cache, and where it says what it does.</summary>
public sealed record WorkerNodeOptions
{
    public int Workers { get; init; } = 1;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public long CacheBytes { get; init; } = FitJob.DefaultCacheBytes;
    /// <summary>One line per event (a fit joined, refused, ended), for the node's log.</summary>
    public Action<string>? Log { get; init; }
}
