
namespace DistributedGmm.Cluster.Hosting;

/// <summary>Where one cluster node lives and whom it joins. Null fields fall back to the environment, then the file.</summary>
public sealed record NodeSettings
{
    /// <summary>The public hostname other nodes reach this one by (default 127.0.0.1).</summary>
    public string? Host { get; init; }

    /// <summary>The address to bind when it differs from <see cref="Host"/> (0.0.0.0 in a container).</summary>
    public string? BindHost { get; init; }

    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int? Port { get; init; }

    public IReadOnlyList<string>? SeedNodes { get; init; }

    /// <summary>A HOCON file to load instead of config/gmm.conf.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The cluster role: <see cref="ClusterConfig.WorkerRole"/> or <see cref="ClusterConfig.CoordinatorRole"/>.</summary>
    public required string Role { get; init; }
}
