
namespace DistributedGmm.Cli;

/// <summary>How the fit runs (not what it computes): shard workers and their cache (null: the runtime's default), or a cluster.</summary>
internal sealed record RuntimeOptions(int Workers, long? CacheBytes, ClusterRun? Cluster = null);
