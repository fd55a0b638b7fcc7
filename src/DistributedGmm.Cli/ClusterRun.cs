using System.CommandLine;
using System.Globalization;
using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;

namespace DistributedGmm.Cli;

/// <summary>How a fit runs on a cluster: the coordinator's node, the runtime's settings (read once), how many worker nodes to wait for.</summary>
internal sealed record ClusterRun(ClusterNode Node, GmmSettings Settings, int MinimumNodes);
