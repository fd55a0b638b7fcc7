namespace DistributedGmm.Cluster.Messages;

/// <summary>A shard worker offers itself to the coordinator, which watches it from then on.</summary>
public sealed record RegisterWorker(int Parallelism) : IGmmMessage;
