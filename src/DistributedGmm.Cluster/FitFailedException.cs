namespace DistributedGmm.Cluster;

/// <summary>
/// The runtime could not complete a fit: a group failed too often, no worker is left, or too few worker nodes
/// joined. <see cref="MembershipLost"/>: the coordinator's node saw worker nodes it could not reach, so its view of
/// the cluster, not the cluster, may be what failed; it is worth joining again.
/// </summary>
public sealed class FitFailedException(string message, bool membershipLost = false) : Exception(message)
{
    public bool MembershipLost { get; } = membershipLost;
}
