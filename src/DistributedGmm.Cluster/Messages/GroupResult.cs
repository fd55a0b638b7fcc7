namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// One slice of a group's result: its folded statistics' flat values, or its sample rows. The coordinator
/// reassembles the slices of (group, attempt) and folds groups in group order, never in arrival order.
/// </summary>
public sealed record GroupResult(Guid FitId, int Step, int Attempt, int Group, int Index, int Count, double[] Values)
    : IFitRoundMessage;
