using DistributedGmm.Cluster.Hosting;

namespace DistributedGmm.Cluster;

/// <summary>A fit run by a coordinator node over the worker nodes of a cluster.</summary>
public sealed record ClusterFitJob
{
    /// <summary>
    /// The settings, with the node's <see cref="FitJob.Runtime"/> (its join and request timeouts); <see cref="FitJob.Workers"/>
    /// and the cache are the worker nodes' business and not used here.
    /// </summary>
    public required FitJob Job { get; init; }

    /// <summary>The coordinator's node (<see cref="ClusterConfig.Load(NodeSettings)"/>, role coordinator).</summary>
    public required ClusterNode Node { get; init; }

    /// <summary>Worker nodes that must join before the fit starts.</summary>
    public int MinimumNodes { get; init; } = 1;

    /// <summary>One line per event of the coordinator's node (listening, waiting for workers), for the user.</summary>
    public Action<string>? Log { get; init; }
}
