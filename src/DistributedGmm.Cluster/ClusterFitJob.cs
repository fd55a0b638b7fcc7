using Akka.Actor;
using Akka.Configuration;
using DistributedGmm.Cluster.Coordination;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster;

/// <summary>A fit run by a coordinator node over the worker nodes of a cluster.</summary>
public sealed record ClusterFitJob
{
    /// <summary>The settings; <see cref="FitJob.Workers"/> and the cache are the worker nodes' business and not used here.</summary>
    public required FitJob Job { get; init; }

    /// <summary>The coordinator's node (<see cref="ClusterConfig.Load(NodeSettings)"/>, role coordinator).</summary>
    public required ClusterNode Node { get; init; }

    /// <summary>Worker nodes that must join before the fit starts.</summary>
    public int MinimumNodes { get; init; } = 1;

    public TimeSpan JoinTimeout { get; init; } = GmmSettings.Default.JoinTimeout;

    /// <summary>One line per event of the coordinator's node (listening, waiting for workers), for the user.</summary>
    public Action<string>? Log { get; init; }
}
