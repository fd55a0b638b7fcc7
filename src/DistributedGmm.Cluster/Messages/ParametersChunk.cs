namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// One slice of the parameters of step <see cref="Step"/> (encoded by <see cref="Serialization.MixtureCodec"/>),
/// broadcast before the request that uses them. Chunks keep every frame well under the transport's limit.
/// </summary>
public sealed record ParametersChunk(Guid FitId, int Step, int Index, int Count, double[] Values) : IFitRoundMessage;
