using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace DistributedGmm.Data.ObjectStorage;

/// <summary>
/// The S3 operations the data layer needs (list, ranged GET, whole-object GET and PUT), each retried by
/// <see cref="ObjectRetry"/> and each failure turned into one <see cref="DataException"/> line naming the s3:// URI.
/// Thread-safe; one per process is enough (see <see cref="ObjectStores"/>).
/// </summary>
public sealed class ObjectStore : IDisposable
{
    // Uploads are signed whole (UseChunkEncoding = false): aws-chunked bodies are not understood by every
    // S3-compatible server (s3rver stores the chunk framing as content).
    private readonly IAmazonS3 _client;
    private readonly SemaphoreSlim _requests;
    private long _getRequests;
    private long _bytesFetched;

    public ObjectStore(ObjectStoreSettings settings) : this(settings, null) { }

    /// <summary>With <paramref name="credentials"/> instead of the SDK's chain: for tests that run servers with different keys in one process.</summary>
    internal ObjectStore(ObjectStoreSettings settings, AWSCredentials? credentials)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _requests = new SemaphoreSlim(settings.ParallelRequests);
        var config = new AmazonS3Config
        {
            MaxErrorRetry = 0, // ObjectRetry retries, with one documented limit
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (settings.Endpoint is { } endpoint)
        {
            // S3-compatible servers mostly know buckets only in the path, and sign with any region name.
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? "us-east-1";
        }
        _client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    public ObjectStoreSettings Settings { get; }

    /// <summary>Ranged GETs sent so far (every attempt counts).</summary>
    public long GetRequests => Interlocked.Read(ref _getRequests);

    /// <summary>Bytes received by ranged GETs so far.</summary>
    public long BytesFetched => Interlocked.Read(ref _bytesFetched);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>'s key, in key order, with size and ETag.</summary>
    public async Task<List<StoredObject>> ListAsync(ObjectUri prefix, CancellationToken cancellationToken = default)
    {
        var found = new List<StoredObject>();
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = prefix.Bucket, Prefix = prefix.Key, ContinuationToken = token };
            var page = await RunAsync(prefix, ct => _client.ListObjectsV2Async(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
                found.Add(new StoredObject(prefix.WithKey(o.Key), o.Size ?? 0, Unquoted(o.ETag)));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
        return found;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the object's bytes from <paramref name="offset"/>, by one ranged
    /// GET that asks for the recorded ETag (If-Match) and checks the answer carries it too (s3rver, for one, ignores If-Match).
    /// </summary>
    public async Task ReadAsync(StoredObject obj, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0) return;
        if (offset < 0 || offset + destination.Length > obj.Size)
            throw new DataException($"{obj.Uri}: bytes {offset}-{offset + destination.Length - 1} lie outside the object's {obj.Size} bytes; was it changed?");
        await _requests.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RunAsync(obj.Uri, async ct =>
            {
                Interlocked.Increment(ref _getRequests);
                var request = new GetObjectRequest
                {
                    BucketName = obj.Uri.Bucket, Key = obj.Uri.Key, EtagToMatch = Quoted(obj.ETag),
                    ByteRange = new ByteRange(offset, offset + destination.Length - 1),
                };
                using var response = await _client.GetObjectAsync(request, ct).ConfigureAwait(false);
                if (Unquoted(response.ETag) != obj.ETag) throw Changed(obj);
                var read = 0;
                while (read < destination.Length)
                {
                    var n = await response.ResponseStream.ReadAsync(destination[read..], ct).ConfigureAwait(false);
                    if (n == 0) break;
                    read += n;
                    Interlocked.Add(ref _bytesFetched, n);
                }
                if (read < destination.Length) throw new TruncatedBodyException($"{read} of {destination.Length} bytes");
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requests.Release();
        }
    }

    /// <summary>The whole object (a model or checkpoint file) into <paramref name="destination"/>.</summary>
    public async Task DownloadAsync(ObjectUri uri, Stream destination, CancellationToken cancellationToken = default)
    {
        await RunAsync(uri, async ct =>
        {
            destination.SetLength(0);
            using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = uri.Bucket, Key = uri.Key }, ct).ConfigureAwait(false);
            await response.ResponseStream.CopyToAsync(destination, ct).ConfigureAwait(false);
            if (destination.Length != response.ContentLength) throw new TruncatedBodyException($"{destination.Length} of {response.ContentLength} bytes");
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the object exists.</summary>
    public async Task<bool> ExistsAsync(ObjectUri uri, CancellationToken cancellationToken = default)
    {
        var listed = await RunAsync(uri, ct => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = uri.Bucket, Prefix = uri.Key, MaxKeys = 1 }, ct),
            cancellationToken).ConfigureAwait(false);
        return listed.S3Objects?.FirstOrDefault()?.Key == uri.Key;
    }

    /// <summary>
    /// Uploads a finished local file so the object appears whole or not at all: one PUT up to
    /// <see cref="ObjectStoreSettings.SinglePutLimit"/>, else a multipart upload completed only when every part arrived and aborted
    /// on any failure or cancellation (no parts are left behind to be billed).
    /// </summary>
    public async Task UploadAsync(string localFile, ObjectUri uri, CancellationToken cancellationToken = default)
    {
        // A request once sent is not cancelled: it ends, and a cancelled caller then removes (or aborts) what it
        // wrote. Cutting a PUT mid-body would leave it to the server whether a partial object appears (S3 never
        // commits one; some S3-compatible servers, s3rver among them, do).
        cancellationToken.ThrowIfCancellationRequested();
        var size = new FileInfo(localFile).Length;
        if (size <= Settings.SinglePutLimit)
        {
            await RunAsync(uri, async ct =>
            {
                await _client.PutObjectAsync(new PutObjectRequest { BucketName = uri.Bucket, Key = uri.Key, FilePath = localFile, UseChunkEncoding = false }, ct).ConfigureAwait(false);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        var upload = await RunAsync(uri, ct => _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = uri.Bucket, Key = uri.Key }, ct),
            cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            var partSize = Settings.PartSize;
            for (var (number, position) = (1, 0L); position < size; number++, position += partSize)
            {
                cancellationToken.ThrowIfCancellationRequested(); // between parts; then the upload is aborted
                var (partNumber, filePosition) = (number, position);
                var part = await RunAsync(uri, ct => _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = uri.Bucket, Key = uri.Key, UploadId = upload.UploadId, PartNumber = partNumber,
                    FilePath = localFile, FilePosition = filePosition, PartSize = Math.Min(partSize, size - filePosition), UseChunkEncoding = false,
                }, ct), CancellationToken.None).ConfigureAwait(false);
                parts.Add(new PartETag(partNumber, part.ETag));
            }
            cancellationToken.ThrowIfCancellationRequested();
            await RunAsync(uri, ct => _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = uri.Bucket, Key = uri.Key, UploadId = upload.UploadId, PartETags = parts,
            }, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await AbortAsync(uri, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// True when the object exists and its ETag is what uploading <paramref name="localFile"/> gives: the MD5 of the
    /// bytes for one PUT, or S3's multipart form (the MD5 of the parts' MD5s, "-", the number of parts). Never throws.
    /// </summary>
    public async Task<bool> HoldsAsync(ObjectUri uri, string localFile)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var found = (await ListAsync(uri, deadline.Token).ConfigureAwait(false)).FirstOrDefault(o => o.Uri.Key == uri.Key);
            if (found is null) return false;
            var bytes = await File.ReadAllBytesAsync(localFile, deadline.Token).ConfigureAwait(false);
            if (found.ETag == Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes))) return true;
            var partMd5s = bytes.Chunk((int)Math.Min(Settings.PartSize, int.MaxValue)).SelectMany(System.Security.Cryptography.MD5.HashData).ToArray();
            var parts = (bytes.Length + Settings.PartSize - 1) / Settings.PartSize;
            return found.ETag == $"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(partMd5s))}-{parts}";
        }
        catch (Exception e) when (e is DataException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Aborts the multipart uploads still open on <paramref name="targets"/> that began at or after
    /// <paramref name="since"/> (less a margin for the server's clock): the parts a process killed mid-upload left
    /// behind. Never throws; a server that cannot list uploads is named in a warning.
    /// </summary>
    public async Task AbortOpenUploadsAsync(IReadOnlyCollection<ObjectUri> targets, DateTime since)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var bucket in targets.GroupBy(t => t.Bucket))
        {
            var keys = bucket.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
            var prefix = CommonPrefix(keys);
            var where = new ObjectUri(bucket.Key, prefix);
            try
            {
                string? keyMarker = null, uploadIdMarker = null;
                while (true)
                {
                    var page = await RunAsync(where, ct => _client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
                    {
                        BucketName = bucket.Key, Prefix = prefix, KeyMarker = keyMarker, UploadIdMarker = uploadIdMarker,
                    }, ct), deadline.Token).ConfigureAwait(false);
                    foreach (var upload in page.MultipartUploads ?? [])
                    {
                        if (keys.Contains(upload.Key) && upload.Initiated?.ToUniversalTime() >= since.ToUniversalTime() - UploadClockMargin)
                            await AbortAsync(where.WithKey(upload.Key), upload.UploadId).ConfigureAwait(false);
                    }
                    if (page.IsTruncated != true) break;
                    (keyMarker, uploadIdMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
                }
            }
            catch (Exception e) when (e is DataException or OperationCanceledException)
            {
                Console.Error.WriteLine($"warning: {where}: could not list the multipart uploads left open ({(e is DataException ? e.Message : "timed out")}); a bucket lifecycle rule for incomplete uploads removes their parts");
            }
        }
    }

    /// <summary>How much earlier than the job's start (by this machine's clock) an upload may seem to begin by the server's.</summary>
    private static readonly TimeSpan UploadClockMargin = TimeSpan.FromMinutes(5);

    private static string CommonPrefix(IEnumerable<string> keys)
    {
        string? common = null;
        foreach (var key in keys)
        {
            if (common is null)
            {
                common = key;
                continue;
            }
            var n = 0;
            while (n < common.Length && n < key.Length && common[n] == key[n]) n++;
            common = common[..n];
        }
        return common ?? "";
    }

    /// <summary>Removes an object (an output this run wrote before a later one failed).</summary>
    public Task DeleteAsync(ObjectUri uri, CancellationToken cancellationToken = default) =>
        RunAsync(uri, ct => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = uri.Bucket, Key = uri.Key }, ct), cancellationToken);

    private async Task AbortAsync(ObjectUri uri, string uploadId)
    {
        // Not cancellable: it runs because the upload was cancelled or failed, and must still happen.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await RunAsync(uri, ct => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = uri.Bucket, Key = uri.Key, UploadId = uploadId }, ct),
                deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DataException or OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: {uri}: could not abort multipart upload {uploadId}; a bucket lifecycle rule for incomplete uploads removes its parts");
        }
    }

    /// <summary>Runs one request with retries; a final failure becomes one line naming <paramref name="uri"/>.</summary>
    private async Task<T> RunAsync<T>(ObjectUri uri, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await request(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not DataException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                if (!ObjectRetry.IsTransient(e, cancellationToken)) throw Final(uri, e);
                if (attempt >= Settings.Attempts)
                    throw new DataException($"{uri}: {Where} failed {attempt} times ({ObjectRetry.Reason(e)}); giving up", e);
                await Task.Delay(ObjectRetry.Delay(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private string Where => Settings.Endpoint is { } endpoint ? $"the object store at {endpoint}" : "S3";

    /// <summary>A final (not retried) failure in words: the SDK's own message is left out, it may quote a key id.</summary>
    private DataException Final(ObjectUri uri, Exception e) => e switch
    {
        AmazonServiceException { StatusCode: HttpStatusCode.NotFound, ErrorCode: "NoSuchBucket" } => new($"{uri}: no such bucket \"{uri.Bucket}\"", e),
        AmazonServiceException { StatusCode: HttpStatusCode.NotFound } => new($"{uri}: no such object", e),
        // 412: If-Match failed; 416: a range within the recorded size no longer exists (a server that ignores If-Match).
        AmazonServiceException { StatusCode: HttpStatusCode.PreconditionFailed or HttpStatusCode.RequestedRangeNotSatisfiable } => ChangedMessage(uri, e),
        AmazonServiceException { ErrorCode: "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "InvalidToken" or "ExpiredToken" } s =>
            new($"{uri}: {Where} refused the credentials ({s.ErrorCode}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE", e),
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } s => new($"{uri}: access denied ({s.ErrorCode})", e),
        AmazonServiceException { StatusCode: var status } s when (int)status != 0 =>
            new($"{uri}: {Where} answered HTTP {(int)status}{(string.IsNullOrEmpty(s.ErrorCode) ? "" : " " + s.ErrorCode)}", e),
        AmazonClientException when e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
            new($"{uri}: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with a role)", e),
        AmazonClientException when e.Message.Contains("region", StringComparison.OrdinalIgnoreCase) =>
            new($"{uri}: no AWS region found (set AWS_REGION, or give an endpoint with --s3-endpoint or AWS_ENDPOINT_URL_S3)", e),
        _ => new($"{uri}: {Where} failed ({ObjectRetry.Reason(e)})", e),
    };

    private static DataException Changed(StoredObject obj) => ChangedMessage(obj.Uri, null);

    private static DataException ChangedMessage(ObjectUri uri, Exception? inner) =>
        new($"{uri}: the object was replaced while it was being read (its ETag changed); a fit never mixes two versions of a file: run it again", inner!);

    internal static string Unquoted(string? etag) => (etag ?? "").Trim('"');

    private static string Quoted(string etag) => "\"" + etag + "\"";

    public void Dispose()
    {
        _client.Dispose();
        _requests.Dispose();
    }
}
