using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// Asks a worker node to write the predictions of input file <see cref="FileIndex"/> of <see cref="Data"/> to
/// <see cref="OutputPath"/> (atomically; an s3:// address, since wire protocol 4, is uploaded whole) under the mixture of job <see cref="JobId"/>, sent before as
/// <see cref="ParametersChunk"/>s (step 0). The node reports <see cref="FileProgress"/> as it goes and answers
/// <see cref="FilePredicted"/>. <see cref="KeepColumns"/>: the input columns the output carries (null: all, in file order).
/// </summary>
public sealed record PredictFile(Guid JobId, DatasetSpec Data, CovarianceType CovarianceType, int Components, int Dimensions,
    int FileIndex, string OutputPath, IReadOnlyList<string>? KeepColumns = null) : IGmmMessage;
