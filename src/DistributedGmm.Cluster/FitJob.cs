using DistributedGmm.Core;

namespace DistributedGmm.Cluster;

/// <summary>A fit as the embedded runtime runs it: the mathematics' settings and the runtime's own.</summary>
public sealed record FitJob
{
    public required FitSettings Settings { get; init; }

    /// <summary>Shard workers in the process.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory for decoded shards, shared by the workers; 0 turns caching off.</summary>
    public long CacheBytes { get; init; } = DefaultCacheBytes;

    /// <summary>How long a worker may stay silent on a request before its groups go elsewhere.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Tries of one shard group (timeouts, lost workers, failures) before the fit fails.</summary>
    public int MaxGroupAttempts { get; init; } = 3;

    /// <summary>Threads per worker; null: the process's cores shared among the workers.</summary>
    public int? WorkerParallelism { get; init; }

    /// <summary>A quarter of the memory available to this process.</summary>
    public static long DefaultCacheBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    public int ParallelismPerWorker => WorkerParallelism ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, Workers));
}
