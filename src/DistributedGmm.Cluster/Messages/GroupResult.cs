namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// One slice of a group's result: its folded statistics' flat values, or its sample rows. The coordinator
/// reassembles the slices of (group, attempt) and folds groups in group order, never in arrival order. The first
/// slice carries <see cref="ShardHashes"/>: the content hash of each of the group's shards as the worker decoded
/// it, in shard order (the others carry none), which the coordinator checks against the first hash it saw.
/// </summary>
public sealed record GroupResult(Guid FitId, int Step, int Attempt, int Group, int Index, int Count, double[] Values, ulong[] ShardHashes)
    : IFitRoundMessage;
