namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// A node cannot listen where it was told to: the host does not resolve or is not an address of this machine
/// (a mistake in the arguments), or another process already listens on the port (<see cref="PortInUse"/>).
/// </summary>
public sealed class NodeAddressException(string message, bool portInUse) : Exception(message)
{
    public bool PortInUse { get; } = portInUse;
}
