using DistributedGmm.Cluster.Messages;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Sources;

/// <summary>
/// How a node finds the coordinator's dataset and shows it sees the same: the inputs and options travel in a
/// <see cref="DatasetSpec"/> with the coordinator's <see cref="Dataset.Fingerprint"/>, which the node's own
/// discovery must reproduce (files, rows, sizes, footer hashes, columns, shards, options).
/// </summary>
public static class DatasetFingerprint
{
    /// <summary>What a node needs to find the same dataset: the discovered files, the options, the fingerprint.</summary>
    public static DatasetSpec Spec(Dataset dataset) =>
        new([.. dataset.Files], dataset.Options.Columns?.ToArray(), (int)dataset.Options.OnInvalid, dataset.Options.ShardRows, dataset.Fingerprint,
            dataset.WeightColumn, dataset.Options.Float32Values);

    /// <summary>
    /// Discovers <paramref name="spec"/> on this node and checks it is the coordinator's dataset; throws
    /// <see cref="InvalidOperationException"/> with a one-line reason, naming the file, when it cannot be read or differs.
    /// </summary>
    public static ParquetShardSource Open(DatasetSpec spec)
    {
        ParquetShardSource source;
        try
        {
            source = ParquetShardSource.Open(spec.Inputs,
                new DataOptions { Columns = spec.Columns, OnInvalid = (InvalidValuePolicy)spec.OnInvalid, ShardRows = spec.ShardRows, WeightColumn = spec.WeightColumn,
                    Float32Values = spec.Float32Values });
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"cannot read the data: {e.Message}", e);
        }
        if (source.Dataset.Fingerprint.FirstDifference(spec.Fingerprint) is not { } difference) return source;
        source.Dispose();
        throw new InvalidOperationException($"sees a different dataset than the coordinator: {difference} (this node's view first)");
    }
}
