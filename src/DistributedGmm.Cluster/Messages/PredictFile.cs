using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// Asks a worker node to write the predictions of input file <see cref="FileIndex"/> of <see cref="Data"/> to
/// <see cref="OutputPath"/> (atomically) under the mixture of job <see cref="JobId"/>, sent before as
/// <see cref="ParametersChunk"/>s (step 0). The node reports <see cref="FileProgress"/> as it goes and answers
/// <see cref="FilePredicted"/>.
/// </summary>
public sealed record PredictFile(Guid JobId, DatasetSpec Data, CovarianceType CovarianceType, int Components, int Dimensions,
    int FileIndex, string OutputPath) : IGmmMessage;

/// <summary>
/// The file is written (<see cref="Error"/> null) or not: <see cref="InputError"/> marks bad data, which ends the
/// job; any other error sends the file to another node.
/// </summary>
public sealed record FilePredicted(Guid JobId, int FileIndex, bool InputError, string? Error) : IGmmMessage;

/// <summary>
/// One more shard of file <see cref="FileIndex"/> is written: the node is alive and moving, so the coordinator
/// keeps waiting for it (a node silent for <c>gmm.request-timeout</c> loses the file to another).
/// </summary>
public sealed record FileProgress(Guid JobId, int FileIndex) : IGmmMessage;
