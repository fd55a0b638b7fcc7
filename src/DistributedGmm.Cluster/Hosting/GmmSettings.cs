using Akka.Configuration;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// The runtime's own settings, the <c>gmm</c> section of a node's configuration: their defaults here and nowhere
/// else, overridden by the user's <c>config/gmm.conf</c> (<see cref="From"/>), read once per run.
/// </summary>
public sealed record GmmSettings
{
    public static GmmSettings Default { get; } = new();

    /// <summary><c>gmm.request-timeout</c>: how long a worker may stay silent on a request before its groups (predict: its file) go elsewhere.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>gmm.join-timeout</c>: how long a coordinator waits for its minimum of worker nodes.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>gmm.coordinator-down-after</c>: worker nodes down a coordinator that stays unreachable this long (after the
    /// failure detector's pause): a killed coordinator never returns, and left in the membership it delays every
    /// downing decision after it.
    /// </summary>
    public TimeSpan CoordinatorDownAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>gmm.node-workers</c>: shard-worker actors per worker node (each uses all the node's cores through the thread pool).</summary>
    public int NodeWorkers { get; init; } = 1;

    /// <summary>The <c>gmm</c> keys <paramref name="config"/> sets, over <see cref="Default"/>.</summary>
    public static GmmSettings From(Config config) => new()
    {
        RequestTimeout = Duration(config, "request-timeout", Default.RequestTimeout),
        JoinTimeout = Duration(config, "join-timeout", Default.JoinTimeout),
        CoordinatorDownAfter = Duration(config, "coordinator-down-after", Default.CoordinatorDownAfter),
        NodeWorkers = config.HasPath("gmm.node-workers") ? config.GetInt("gmm.node-workers") : Default.NodeWorkers,
    };

    private static TimeSpan Duration(Config config, string key, TimeSpan fallback) =>
        config.HasPath($"gmm.{key}") ? config.GetTimeSpan($"gmm.{key}") : fallback;
}
