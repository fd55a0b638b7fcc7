using System.CommandLine;
using System.Globalization;
using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;

namespace DistributedGmm.Cli;

/// <summary>How a fit runs on a cluster: the coordinator node's settings and how many worker nodes to wait for, how long.</summary>
internal sealed record ClusterRun(ClusterNode Node, int MinimumNodes, TimeSpan JoinTimeout);
