using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
}
