
namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// One more shard of file <see cref="FileIndex"/> is written: the node is alive and moving, so the coordinator
/// keeps waiting for it (a node silent for <c>gmm.request-timeout</c> loses the file to another).
/// </summary>
public sealed record FileProgress(Guid JobId, int FileIndex) : IGmmMessage;
