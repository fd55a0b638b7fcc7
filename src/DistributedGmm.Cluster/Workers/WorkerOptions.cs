namespace DistributedGmm.Cluster.Workers;

/// <summary>How one shard worker runs: its index (for names and messages), threads, cache budget.</summary>
public sealed record WorkerOptions
{
    public int Index { get; init; }
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public long CacheBytes { get; init; }
}
