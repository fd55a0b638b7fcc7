using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Sources;

/// <summary>
/// What every node must agree on before it computes shards: the files in order, their row counts, the columns
/// and the shard count (shard ids come from these). Readable, with a hash of the file list and row counts.
/// </summary>
public static class DatasetFingerprint
{
    public static string Of(Dataset dataset)
    {
        var text = new StringBuilder();
        for (var i = 0; i < dataset.Files.Count; i++) text.Append(dataset.Files[i]).Append('\n').Append(dataset.FileRows[i]).Append('\n');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return string.Create(CultureInfo.InvariantCulture,
            $"{dataset.Files.Count} file(s), {dataset.TotalRows} rows, {dataset.Shards.Count} shards, columns {string.Join(",", dataset.Columns)}, files {hash}");
    }

    /// <summary>What a node needs to find the same dataset: the discovered files, the options, the fingerprint.</summary>
    public static DatasetSpec Spec(Dataset dataset) =>
        new([.. dataset.Files], dataset.Options.Columns?.ToArray(), (int)dataset.Options.OnInvalid, dataset.Options.ShardRows, Of(dataset));

    /// <summary>
    /// Discovers <paramref name="spec"/> on this node and checks it is the coordinator's dataset; throws
    /// <see cref="InvalidOperationException"/> with a one-line reason when it cannot be read or differs.
    /// </summary>
    public static ParquetShardSource Open(DatasetSpec spec)
    {
        ParquetShardSource source;
        try
        {
            source = ParquetShardSource.Open(spec.Inputs,
                new DataOptions { Columns = spec.Columns, OnInvalid = (InvalidValuePolicy)spec.OnInvalid, ShardRows = spec.ShardRows });
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"cannot read the data: {e.Message}", e);
        }
        var seen = Of(source.Dataset);
        if (seen == spec.Fingerprint) return source;
        source.Dispose();
        throw new InvalidOperationException($"sees a different dataset: {seen}; the coordinator sees {spec.Fingerprint}");
    }
}
