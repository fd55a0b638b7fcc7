
namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// The file is written (<see cref="Error"/> null) or not: <see cref="InputError"/> marks bad data, which ends the
/// job; any other error sends the file to another node.
/// </summary>
public sealed record FilePredicted(Guid JobId, int FileIndex, bool InputError, string? Error) : IGmmMessage;
