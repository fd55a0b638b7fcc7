using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>A plain AWS SDK client for arranging tests (buckets, uploads, listings), independent of the code under test.</summary>
public static class S3Client
{
    public static AmazonS3Client For(string endpoint) => new(new BasicAWSCredentials(S3rverProcess.AccessKey, S3rverProcess.SecretKey), new AmazonS3Config
    {
        ServiceURL = endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public static void Upload(this IAmazonS3 client, string bucket, string key, string file) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = file, UseChunkEncoding = false }).GetAwaiter().GetResult();

    public static void Bucket(this IAmazonS3 client, string bucket) =>
        client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }).GetAwaiter().GetResult();

    public static List<string> Keys(this IAmazonS3 client, string bucket, string prefix = "") =>
        (client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix }).GetAwaiter().GetResult().S3Objects ?? []).Select(o => o.Key).ToList();

    /// <summary>The multipart uploads open in <paramref name="bucket"/> (begun, neither completed nor aborted).</summary>
    public static List<MultipartUpload> OpenUploads(this IAmazonS3 client, string bucket) =>
        client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket }).GetAwaiter().GetResult().MultipartUploads ?? [];

    /// <summary>The whole object's bytes.</summary>
    public static async Task<byte[]> BytesAsync(this IAmazonS3 client, string bucket, string key)
    {
        using var response = await client.GetObjectAsync(bucket, key);
        using var stored = new MemoryStream();
        await response.ResponseStream.CopyToAsync(stored);
        return stored.ToArray();
    }
}
