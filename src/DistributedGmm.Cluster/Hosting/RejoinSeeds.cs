using Akka.Actor;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// What a node the cluster removed joins again through: the worker nodes it last saw, then the configured seeds,
/// never itself. A seed node listed first would otherwise join itself and start a second cluster beside the one
/// the other workers still form. <see cref="Track"/> also tells whether the node was removed at all.
/// </summary>
internal sealed class RejoinSeeds
{
    private IReadOnlyList<string> _workersSeen = [];

    private RejoinSeeds()
    {
    }

    /// <summary>True once this node was removed from the cluster (downed, or it left).</summary>
    public bool Removed { get; private set; }

    /// <summary>Remembers the worker members <paramref name="cluster"/> knew when its own node was removed.</summary>
    public static RejoinSeeds Track(Akka.Cluster.Cluster cluster)
    {
        var seeds = new RejoinSeeds();
        cluster.RegisterOnMemberRemoved(() =>
        {
            seeds.Removed = true;
            seeds._workersSeen = cluster.State.Members
                .Where(m => m.HasRole(ClusterConfig.WorkerRole) && !m.Address.Equals(cluster.SelfAddress))
                .Select(m => m.Address.ToString()).ToArray();
        });
        return seeds;
    }

    /// <summary><paramref name="node"/> with the seed nodes to join again through, <paramref name="self"/> left out.</summary>
    public ClusterNode Apply(ClusterNode node, Address self)
    {
        var me = self.ToString();
        var seeds = _workersSeen.Concat(TlsConfig.Seeds(node.SeedNodes, node.Tls)).Where(s => s != me).Distinct().ToArray();
        return seeds.Length == 0 ? node : node with { SeedNodes = seeds };
    }
}
