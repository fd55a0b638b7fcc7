using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DistributedGmm.Data.ObjectStorage;
using Parquet;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>
/// Reading s3:// inputs from a real S3-protocol server (s3rver, one per test class) must give exactly what the same
/// files give from disk, fetching only the selected column chunks' bytes, and must refuse an object that changed.
/// </summary>
public sealed class ObjectReadTests : IClassFixture<ObjectReadTests.Server>, IDisposable
{
    public sealed class Server : IDisposable
    {
        public S3rverProcess S3 { get; } = new();
        public TempDirectory Local { get; } = new();
        public AmazonS3Client Client { get; }

        public Server()
        {
            Client = S3Client.For(S3.Endpoint);
            Client.Bucket("data");
            SyntheticData.Generate(new GeneratorOptions { Rows = 30_000, Dimensions = 3, Components = 2, Files = 3, RowGroupRows = 4096, Seed = 7 }, Local.File("set"));
            foreach (var file in Directory.GetFiles(Local.File("set")))
                Client.Upload("data", "set/" + Path.GetFileName(file), file);
            File.WriteAllText(Local.File("marker"), "");
            Client.Upload("data", "set/_SUCCESS", Local.File("marker"));
            Client.Upload("data", "set/.part-00009.parquet.crc", Local.File("marker"));
            Client.Upload("data", "set/_temporary/part-00000.parquet", Local.File("marker"));
            Client.Upload("data", "notes/readme.txt", Local.File("marker"));
        }

        public void Dispose()
        {
            Client.Dispose();
            S3.Dispose();
            Local.Dispose();
        }
    }

    private readonly Server _server;
    private readonly ObjectStore _store;

    public ObjectReadTests(Server server)
    {
        _server = server;
        _store = new ObjectStore(new ObjectStoreSettings { Endpoint = server.S3.Endpoint, Attempts = 2 }, new BasicAWSCredentials(S3rverProcess.AccessKey, S3rverProcess.SecretKey));
    }

    private Dataset Discover(params string[] inputs) => Dataset.Discover(inputs, new DataOptions { Store = _store, ShardRows = 3000 });

    [Fact]
    public void A_prefix_reads_the_same_shards_and_values_as_the_folder_on_disk()
    {
        var remote = Discover("s3://data/set/");
        var local = Discover(_server.Local.File("set"));

        Assert.Equal(["s3://data/set/part-00000.parquet", "s3://data/set/part-00001.parquet", "s3://data/set/part-00002.parquet"], remote.Files);
        Assert.Equal(local.RelativePaths, remote.RelativePaths);
        Assert.Equal(local.Shards.Select(s => (s.FileIndex, s.RowGroup, s.OffsetInRowGroup, s.Rows)), remote.Shards.Select(s => (s.FileIndex, s.RowGroup, s.OffsetInRowGroup, s.Rows)));
        using var fromDisk = new ShardReader(local);
        using var fromStore = new ShardReader(remote);
        foreach (var shard in remote.Shards)
        {
            var expected = fromDisk.Read(local.Shards[shard.Index]).Block;
            var actual = fromStore.Read(shard).Block;
            Assert.Equal(expected.Rows, actual.Rows);
            Assert.True(expected.Values.AsSpan(0, expected.Rows * 3).SequenceEqual(actual.Values.AsSpan(0, actual.Rows * 3)), $"shard {shard.Index}");
        }
    }

    [Fact]
    public void Each_row_group_costs_one_request_per_selected_column_for_exactly_its_column_chunk_bytes()
    {
        var remote = Dataset.Discover(["s3://data/set/part-00001.parquet"], new DataOptions { Store = _store, Columns = ["x0", "x2"] });
        using var reader = new ShardReader(remote);
        var before = _store.GetRequests;
        reader.Read(remote.Shards[0]);
        Assert.Equal(3, _store.GetRequests - before); // the last 64 KiB (the footer), then two column chunks

        var (requests, fetched) = (_store.GetRequests, _store.BytesFetched);
        reader.Read(remote.Shards[1]);
        Assert.Equal(2, _store.GetRequests - requests);
        Assert.Equal(ChunkBytes(_server.Local.File("set/part-00001.parquet"), rowGroup: 1, "x0", "x2"), _store.BytesFetched - fetched);
    }

    /// <summary>The compressed sizes of the named columns' chunks in one row group, from the file's own metadata (read locally).</summary>
    private static long ChunkBytes(string file, int rowGroup, params string[] columns)
    {
        var reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        try
        {
            var group = reader.OpenRowGroupReader(rowGroup);
            return columns.Sum(c => group.GetMetadata(reader.Schema.DataFields.Single(f => f.Name == c))!.MetaData!.TotalCompressedSize);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Fact]
    public void Globs_and_local_paths_mix_in_one_sorted_order()
    {
        var local = _server.Local.File("set/part-00002.parquet");
        var dataset = Discover("s3://data/set/part-0000[01].parquet", local, "s3://data/set/part-00001.parquet");
        Assert.Equal([Path.GetFullPath(local), "s3://data/set/part-00000.parquet", "s3://data/set/part-00001.parquet"], dataset.Files);
        Assert.Null(dataset.ObjectAt(0));
        Assert.NotNull(dataset.ObjectAt(1));
        Assert.Equal(30_000, dataset.TotalRows);
    }

    [Fact]
    public void A_key_without_a_trailing_slash_that_is_a_prefix_reads_as_a_folder()
    {
        Assert.Equal(3, Discover("s3://data/set").Files.Count);
    }

    [Theory]
    [InlineData("s3://nobucket/set/", "s3://nobucket/set/: no such bucket \"nobucket\"")]
    [InlineData("s3://data/none/", "s3://data/none/: no object under this prefix")]
    [InlineData("s3://data/notes/", "s3://data/notes/: the prefix holds no *.parquet object")]
    [InlineData("s3://data/set/part-9*.parquet", "s3://data/set/part-9*.parquet: the pattern matches no object")]
    [InlineData("s3://data/set/part-00009.parquet", "s3://data/set/part-00009.parquet: no such object or prefix")]
    public void Missing_inputs_are_named_in_one_line(string input, string message)
    {
        Assert.Equal(message, Fixtures.Fails(() => Discover(input)).Message);
    }

    [Fact]
    public void An_object_replaced_after_discovery_stops_the_read_naming_it()
    {
        _server.Client.Bucket("swap");
        _server.Client.Upload("swap", "a.parquet", _server.Local.File("set/part-00000.parquet"));
        var dataset = Dataset.Discover(["s3://swap/a.parquet"], new DataOptions { Store = _store });
        var before = dataset.Fingerprint;
        _server.Client.Upload("swap", "a.parquet", _server.Local.File("set/part-00001.parquet"));

        using var reader = new ShardReader(dataset);
        var e = Fixtures.Fails(() => reader.Read(dataset.Shards[0]));
        Assert.StartsWith("s3://swap/a.parquet: the object was replaced while it was being read", e.Message);
        Assert.False(before.Matches(Dataset.Discover(["s3://swap/a.parquet"], new DataOptions { Store = _store }).Fingerprint));
    }

    [Fact]
    public void Uploading_the_same_bytes_again_keeps_the_fingerprint()
    {
        // s3rver's ETag is the MD5 of the content: re-uploading the same bytes keeps it, and so the fingerprint.
        _server.Client.Bucket("same");
        _server.Client.Upload("same", "a.parquet", _server.Local.File("set/part-00000.parquet"));
        var first = Dataset.Discover(["s3://same/a.parquet"], new DataOptions { Store = _store }).Fingerprint;
        _server.Client.Upload("same", "a.parquet", _server.Local.File("set/part-00000.parquet"));
        Assert.True(first.Matches(Dataset.Discover(["s3://same/a.parquet"], new DataOptions { Store = _store }).Fingerprint));
    }

    [Fact]
    public async Task A_large_upload_goes_in_parts_and_the_object_is_the_file_once_completed()
    {
        using var counter = new FaultyProxy(_server.S3.Port, FaultyProxy.Fault.SlowDown, every: int.MaxValue); // counts, spoils nothing
        using var store = new ObjectStore(new ObjectStoreSettings { Endpoint = counter.Endpoint, SinglePutLimit = 1 << 20, PartSize = 5 << 20 },
            new BasicAWSCredentials(S3rverProcess.AccessKey, S3rverProcess.SecretKey));
        var file = _server.Local.File("big.bin");
        var bytes = new byte[(12 << 20) + 123];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(file, bytes);
        await store.UploadAsync(file, ObjectUri.Parse("s3://data/big/big.bin"));
        Assert.Equal(5, counter.Requests); // initiate, three parts of at most 5 MiB, complete
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(_server.S3.Directory, "data", "big", "big.bin._S3rver_object")));
    }

    private List<MultipartUpload> OpenUploads(string bucket) =>
        _server.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket }).GetAwaiter().GetResult().MultipartUploads ?? [];

    [Fact]
    public async Task The_server_lists_and_aborts_multipart_uploads_as_S3_does()
    {
        _server.Client.Bucket("mpu");
        Assert.Empty(OpenUploads("mpu"));
        var started = await _server.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = "mpu", Key = "dir/a.bin" });
        var listed = Assert.Single(OpenUploads("mpu"));
        Assert.Equal(("dir/a.bin", started.UploadId, "STANDARD"), (listed.Key, listed.UploadId, listed.StorageClass?.Value));
        Assert.InRange(listed.Initiated!.Value.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));

        var abort = new AbortMultipartUploadRequest { BucketName = "mpu", Key = "dir/a.bin", UploadId = started.UploadId };
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await _server.Client.AbortMultipartUploadAsync(abort)).HttpStatusCode);
        Assert.Empty(OpenUploads("mpu"));
        var again = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _server.Client.AbortMultipartUploadAsync(abort));
        Assert.Equal((System.Net.HttpStatusCode.NotFound, "NoSuchUpload"), (again.StatusCode, again.ErrorCode));
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => _server.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = "nompu" }));
        Assert.Equal("NoSuchBucket", missing.ErrorCode);
    }

    [Fact]
    public async Task An_upload_cancelled_between_parts_is_aborted_and_leaves_no_object()
    {
        _server.Client.Bucket("cancel");
        // Parts of 1 KiB: hundreds of requests, so the upload is surely still going when it is seen open.
        using var store = new ObjectStore(new ObjectStoreSettings { Endpoint = _server.S3.Endpoint, SinglePutLimit = 1024, PartSize = 1024 },
            new BasicAWSCredentials(S3rverProcess.AccessKey, S3rverProcess.SecretKey));
        var file = _server.Local.File("cancelled.bin");
        var bytes = new byte[600 << 10];
        new Random(6).NextBytes(bytes);
        File.WriteAllBytes(file, bytes);
        using var cancel = new CancellationTokenSource();
        var upload = store.UploadAsync(file, ObjectUri.Parse("s3://cancel/out/cancelled.bin"), cancel.Token);
        var parts = Path.Combine(_server.S3.Directory, "cancel", "._S3rver_uploads");
        while (!upload.IsCompleted && !(Directory.Exists(parts) && Directory.EnumerateFiles(parts, "2", SearchOption.AllDirectories).Any())) await Task.Delay(2);
        var open = Assert.Single(OpenUploads("cancel")); // the server holds an upload in progress, with parts
        Assert.Equal("out/cancelled.bin", open.Key);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        Assert.Empty(OpenUploads("cancel"));
        Assert.Empty(_server.Client.Keys("cancel"));
    }

    [Fact]
    public async Task Open_uploads_are_aborted_only_on_the_given_keys_and_only_when_begun_since_the_given_time()
    {
        _server.Client.Bucket("orphans");
        async Task<string> Begin(string key) =>
            (await _server.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = "orphans", Key = key })).UploadId;
        var ours = await Begin("out/a.parquet");
        var someoneElses = await Begin("out/other.parquet");
        ObjectUri[] targets = [ObjectUri.Parse("s3://orphans/out/a.parquet"), ObjectUri.Parse("s3://orphans/out/b.parquet")];

        await _store.AbortOpenUploadsAsync(targets, DateTime.UtcNow.AddHours(1)); // begun before the job: not ours
        Assert.Equal(new[] { ours, someoneElses }.Order(StringComparer.Ordinal), OpenUploads("orphans").Select(u => u.UploadId).Order(StringComparer.Ordinal));
        await _store.AbortOpenUploadsAsync(targets, DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal([someoneElses], OpenUploads("orphans").Select(u => u.UploadId));
    }

    public void Dispose() => _store.Dispose();
}
