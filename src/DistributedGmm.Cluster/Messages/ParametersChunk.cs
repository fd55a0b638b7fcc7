namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// One slice of the parameters of step <see cref="Step"/> (encoded by <see cref="Serialization.MixtureCodec"/>),
/// broadcast before the request that uses them. Chunks keep every frame well under the transport's limit.
/// </summary>
public sealed record ParametersChunk(Guid FitId, int Step, int Index, int Count, double[] Values) : IFitRoundMessage
{
    /// <summary>The chunks, in order, that carry <paramref name="mixture"/> for step <paramref name="step"/> of <paramref name="fitId"/>.</summary>
    internal static ParametersChunk[] Of(Guid fitId, int step, Core.Model.GaussianMixture mixture)
    {
        var values = Serialization.MixtureCodec.Encode(mixture);
        var count = Serialization.Chunking.ChunkCount(values.Length);
        return Serialization.Chunking.Split(values).Select((v, i) => new ParametersChunk(fitId, step, i, count, v)).ToArray();
    }
}
