namespace DistributedGmm.Cluster.Messages;

/// <summary>A message that belongs to one round of one fit; replies that do not match the current round are stale.</summary>
public interface IFitRoundMessage : IGmmMessage
{
    Guid FitId { get; }
    int Step { get; }
}
