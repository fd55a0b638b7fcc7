namespace DistributedGmm.Data.ObjectStorage;

/// <summary>A ranged GET whose body ended before the bytes it announced: the connection was cut, the read is retried.</summary>
internal sealed class TruncatedBodyException(string message) : IOException(message);
