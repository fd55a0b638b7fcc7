using DistributedGmm.Cluster.Workers;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>Test-only ways into the embedded runtime: extra HOCON, fault injection, a shuffled assignment.</summary>
internal sealed record RuntimeHooks
{
    public static readonly RuntimeHooks None = new();

    public string? Hocon { get; init; }
    public WorkerFaultHook? Fault { get; init; }
    public int? ShuffleSeed { get; init; }
}
