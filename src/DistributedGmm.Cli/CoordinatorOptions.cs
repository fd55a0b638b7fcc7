using System.CommandLine;
using System.Globalization;
using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;

namespace DistributedGmm.Cli;

/// <summary>The options <c>fit</c>, <c>predict</c> and <c>score</c> add to run on a cluster as its coordinator.</summary>
internal sealed class CoordinatorOptions
{
    public Option<bool> Cluster { get; } = new("--cluster") { Description = "Run on a cluster of 'gmm node --role worker' nodes, this process the coordinator" };
    public Option<int> MinWorkers { get; } = new("--min-workers") { Description = "With --cluster: worker nodes to wait for before starting", DefaultValueFactory = _ => 1 };
    public Option<string?> JoinTimeout { get; } = new("--join-timeout") { Description = "With --cluster: how long to wait for --min-workers (default: gmm.join-timeout, 60s)" };
    public ClusterOptions Node { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Cluster);
        command.Options.Add(MinWorkers);
        command.Options.Add(JoinTimeout);
        Node.AddTo(command);
    }

    /// <summary>Null without --cluster.</summary>
    public ClusterRun? Run(ParseResult r)
    {
        if (!r.GetValue(Cluster)) return null;
        var minimum = r.GetValue(MinWorkers);
        CliOptions.RequirePositive(minimum, "--min-workers");
        var node = Node.Load(r, ClusterConfig.CoordinatorRole);
        var settings = node.Settings;
        if (r.GetValue(JoinTimeout) is { } text) settings = settings with { JoinTimeout = ClusterOptions.ParseDuration(text, "--join-timeout") };
        return new ClusterRun(node, settings, minimum);
    }
}
