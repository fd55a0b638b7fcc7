namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// Every message that may cross a process boundary. HOCON binds this interface to
/// <see cref="Serialization.GmmMessageSerializer"/>; nothing else in the protocol goes over the wire.
/// </summary>
public interface IGmmMessage;
