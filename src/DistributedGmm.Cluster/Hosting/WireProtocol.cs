using Akka.Cluster;
using Akka.Util;
using DistributedGmm.Cluster.Serialization;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// The gmm wire protocol a node speaks (<see cref="GmmMessageSerializer.Version"/>), announced as the node's
/// <c>akka.cluster.app-version</c>, which Akka exchanges when a node joins and every member sees for every other.
/// A coordinator asks no node of another protocol to serve (its frames could not be read), and a worker node refuses
/// the jobs of a coordinator of another protocol; both say so in one line. The rule for changing a message is in
/// docs/architecture.md ("Wire protocol").
/// </summary>
public static class WireProtocol
{
    /// <summary>The version as the cluster carries it.</summary>
    public static AppVersion AppVersion { get; } = AppVersion.Create(GmmMessageSerializer.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Null when <paramref name="member"/> speaks this node's protocol, else why it cannot take part.</summary>
    public static string? Mismatch(Member member) => member.AppVersion.Equals(AppVersion)
        ? null
        : $"{(member.HasRole(ClusterConfig.CoordinatorRole) ? "coordinator" : "node")} {member.Address} speaks gmm wire protocol "
          + $"{member.AppVersion}, this {(member.HasRole(ClusterConfig.CoordinatorRole) ? "node" : "coordinator")} speaks {AppVersion}: run one gmm version on every node";
}
