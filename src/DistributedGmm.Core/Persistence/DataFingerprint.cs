
namespace DistributedGmm.Core.Persistence;

/// <summary>
/// What a fit runs on, by content: the files (full paths or s3:// URIs) with their rows, sizes and a hash of each
/// Parquet footer (which holds every column chunk's offsets, sizes and statistics; for an object, with its ETag), the columns, the shard count and the data
/// options. Every node and every resumed fit must see the same; the data layer builds it (<c>DataFingerprints</c>).
/// </summary>
public sealed record DataFingerprint(IReadOnlyList<string> Files, IReadOnlyList<long> FileRows, IReadOnlyList<long> FileSizes,
    IReadOnlyList<ulong> FooterHashes, IReadOnlyList<string> Columns, int Shards, string Options)
{
    public override string ToString() =>
        $"{Files.Count} file(s) [{string.Join(", ", Files)}], {FileRows.Sum()} rows in {Shards} shards, columns {string.Join(",", Columns)}, {Options}";

    public bool Matches(DataFingerprint other) => FirstDifference(other) is null;

    /// <summary>Null when both describe the same data, else the first difference in a few words, naming the file.</summary>
    public string? FirstDifference(DataFingerprint other)
    {
        if (!Files.SequenceEqual(other.Files, StringComparer.Ordinal))
            return $"the files differ: [{string.Join(", ", Files)}] against [{string.Join(", ", other.Files)}]";
        for (var f = 0; f < Files.Count; f++)
        {
            if (FileRows[f] != other.FileRows[f]) return $"{Files[f]}: {FileRows[f]} rows against {other.FileRows[f]}";
            if (FileSizes[f] != other.FileSizes[f]) return $"{Files[f]}: {FileSizes[f]} bytes against {other.FileSizes[f]}";
            if (FooterHashes[f] != other.FooterHashes[f]) return $"{Files[f]}: same size, but its Parquet footer (row groups, column chunks, statistics) differs" +
                (Files[f].StartsWith("s3://", StringComparison.Ordinal) ? ", or the object's ETag (it was replaced)" : "");
        }
        if (!Columns.SequenceEqual(other.Columns, StringComparer.Ordinal))
            return $"columns {string.Join(",", Columns)} against {string.Join(",", other.Columns)}";
        if (Shards != other.Shards) return $"{Shards} shards against {other.Shards}";
        return string.Equals(Options, other.Options, StringComparison.Ordinal) ? null : $"{Options} against {other.Options}";
    }
}
