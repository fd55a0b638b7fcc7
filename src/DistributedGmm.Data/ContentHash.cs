using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace DistributedGmm.Data;

/// <summary>
/// The data's identity by content: XXH3 (64-bit, non-cryptographic: it detects changed or stale copies, it does
/// not resist an adversary who controls the files) of a Parquet file's footer, and of a shard's decoded values.
/// </summary>
public static class ContentHash
{
    /// <summary>The hash of <paramref name="values"/>' bits as stored (little-endian on every platform .NET runs this on).</summary>
    public static ulong Of(ReadOnlySpan<double> values) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(values));

    /// <summary>A shard's hash: of its values, and with sample weights of those too (seeded by the values' hash).</summary>
    public static ulong Of(Core.Estimation.RowBlock block)
    {
        var values = Of(block.Span);
        return block.Weights is { } weights
            ? XxHash3.HashToUInt64(MemoryMarshal.AsBytes(weights.AsSpan(0, block.Rows)), unchecked((long)values))
            : values;
    }

    /// <summary>
    /// The file's size and the hash of its footer (the Thrift file metadata before the trailing length and
    /// <c>PAR1</c>): it lists every row group's column chunks with their offsets, sizes and statistics.
    /// </summary>
    public static (long Size, ulong FooterHash) Footer(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        var size = file.Length;
        Span<byte> tail = stackalloc byte[8];
        if (size < 12) throw new DataException($"{path}: not a Parquet file ({size} bytes)");
        file.Seek(-8, SeekOrigin.End);
        file.ReadExactly(tail);
        var length = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (!tail[4..].SequenceEqual("PAR1"u8) || length <= 0 || length > size - 12)
            throw new DataException($"{path}: not a Parquet file (no footer at its end)");
        var footer = new byte[length];
        file.Seek(-8L - length, SeekOrigin.End);
        file.ReadExactly(footer);
        return (size, XxHash3.HashToUInt64(footer));
    }
}
