using System.Text;
using System.Text.RegularExpressions;

namespace DistributedGmm.Cli;

/// <summary>
/// A kind of file gmm writes, recognised by its content, so that a previous output of the same kind may be replaced
/// without <c>--overwrite</c> and anything else may not. An empty file holds nothing to lose and is always replaceable.
/// </summary>
internal sealed partial class OutputKind(string description, Func<byte[], bool> recognises)
{
    private const int PrefixBytes = 4096;

    /// <summary>Our model files start with <c>"format": "distributed-gmm/1"</c>.</summary>
    public static OutputKind Model { get; } = new("a model file (\"format\": \"distributed-gmm/1\")",
        prefix => ModelFormat().IsMatch(Encoding.UTF8.GetString(prefix)));

    public static OutputKind Png { get; } = new("a PNG image", prefix => prefix.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]));

    /// <summary>A Parquet file (as <c>gmm generate</c> writes) starts with the magic bytes PAR1.</summary>
    public static OutputKind Parquet { get; } = new("a Parquet file", prefix => prefix.AsSpan().StartsWith("PAR1"u8));

    public string Description { get; } = description;

    /// <summary>True for an empty regular file or one whose first bytes are of this kind.</summary>
    public bool Recognises(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length == 0) return true;
            var prefix = new byte[(int)Math.Min(PrefixBytes, stream.Length)];
            stream.ReadExactly(prefix);
            return recognises(prefix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex("""^\s*\{\s*"format"\s*:\s*"distributed-gmm/1"\s*[,}]""")]
    private static partial Regex ModelFormat();
}
