namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// Where and how to reach object storage. Credentials and region are never held here: the AWS SDK's own chains
/// find them (environment, shared config and credentials files, AWS_PROFILE, container and instance roles).
/// </summary>
public sealed record ObjectStoreSettings
{
    /// <summary>Attempts per request (the first and up to seven retries) unless GMM_S3_ATTEMPTS says otherwise.</summary>
    public const int DefaultAttempts = 8;

    /// <summary>Ranged GETs in flight at once in this process, whatever the number of readers.</summary>
    public const int DefaultParallelRequests = 16;

    /// <summary>An S3-compatible endpoint (MinIO, Ceph, R2, s3rver …), addressed path-style; null for AWS S3 itself.</summary>
    public string? Endpoint { get; init; }

    public int Attempts { get; init; } = DefaultAttempts;

    public int ParallelRequests { get; init; } = DefaultParallelRequests;

    /// <summary>Objects up to this size are written by one PUT; larger ones by a multipart upload.</summary>
    public long SinglePutLimit { get; init; } = 64L << 20;

    /// <summary>The part size of multipart uploads (S3 wants at least 5 MiB for every part but the last).</summary>
    public long PartSize { get; init; } = 16L << 20;

    /// <summary>S3's largest part (and largest single PUT).</summary>
    public const long MaxPartSize = 5L << 30;

    /// <summary>
    /// The settings of this process: the endpoint from <paramref name="endpointOption"/> (--s3-endpoint), else the
    /// SDK's own variables AWS_ENDPOINT_URL_S3 then AWS_ENDPOINT_URL; attempts from GMM_S3_ATTEMPTS when set;
    /// GMM_S3_PART_SIZE (bytes), when set, is both the part size and the largest single PUT: a file larger than
    /// one part goes up in parts.
    /// </summary>
    public static ObjectStoreSettings FromEnvironment(string? endpointOption = null)
    {
        var endpoint = NonEmpty(endpointOption) ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3"))
            ?? NonEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));
        var attempts = DefaultAttempts;
        if (NonEmpty(Environment.GetEnvironmentVariable("GMM_S3_ATTEMPTS")) is { } text)
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out attempts) || attempts < 1)
                throw new DataException($"GMM_S3_ATTEMPTS: expected a whole number of at least 1, got \"{text}\"");
        }
        var settings = new ObjectStoreSettings();
        if (NonEmpty(Environment.GetEnvironmentVariable("GMM_S3_PART_SIZE")) is { } partText)
        {
            if (!long.TryParse(partText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var partSize)
                || partSize < 1 || partSize > MaxPartSize)
                throw new DataException($"GMM_S3_PART_SIZE: expected a number of bytes from 1 to {MaxPartSize} (5 GiB), got \"{partText}\"");
            settings = settings with { PartSize = partSize, SinglePutLimit = partSize };
        }
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            throw new DataException($"{endpoint}: not an http:// or https:// endpoint for object storage");
        return settings with { Endpoint = endpoint, Attempts = attempts };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
