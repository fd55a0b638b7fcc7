using Akka.Configuration;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// One cluster node as its flags, the environment and the user's file resolve it (<see cref="ClusterConfig.Load(NodeSettings)"/>):
/// what <see cref="GmmAkkaHostingExtensions.WithGmm"/> turns into the node's actor system. A null field leaves the
/// value to <see cref="UserConfig"/>, and that file leaves it to <see cref="NodeDefaults"/>.
/// </summary>
public sealed record ClusterNode
{
    /// <summary>The cluster role: <see cref="ClusterConfig.WorkerRole"/> or <see cref="ClusterConfig.CoordinatorRole"/>.</summary>
    public required string Role { get; init; }

    /// <summary>The public hostname other nodes reach this one by.</summary>
    public string? Host { get; init; }

    /// <summary>The address to bind when it differs from <see cref="Host"/> (0.0.0.0 in a container); else <see cref="Host"/>.</summary>
    public string? BindHost { get; init; }

    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int? Port { get; init; }

    /// <summary>The seed nodes as given (<c>akka.tcp://gmm@host:port</c>); with <see cref="Tls"/> on, joined over <c>akka.ssl.tcp</c>.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>The user's HOCON (config/gmm.conf or <c>--config</c>): over the defaults, under the fields above.</summary>
    public Config UserConfig { get; init; } = Config.Empty;

    /// <summary>TLS between nodes; null: plain TCP.</summary>
    public TlsSettings? Tls { get; init; }

    /// <summary>
    /// The node's configuration as its actor system will load it, over Akka's own defaults: what
    /// <see cref="GmmAkkaHostingExtensions.WithGmm"/> composes, without starting anything (the TLS certificate is not loaded).
    /// </summary>
    public Config Config => GmmAkkaHostingExtensions.Compose(this);

    /// <summary>The runtime's own settings as the node's configuration sets them.</summary>
    public GmmSettings Settings => GmmSettings.From(UserConfig);
}
