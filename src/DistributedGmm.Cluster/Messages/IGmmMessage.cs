namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// Every message that may cross a process boundary. HOCON binds this interface to
/// <see cref="Serialization.GmmMessageSerializer"/>; nothing else in the protocol goes over the wire.
/// </summary>
public interface IGmmMessage;

/// <summary>A message that belongs to one round of one fit; replies that do not match the current round are stale.</summary>
public interface IFitRoundMessage : IGmmMessage
{
    Guid FitId { get; }
    int Step { get; }
}
