using Amazon.Runtime;
using DistributedGmm.Data.ObjectStorage;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>
/// Transient faults between the reader and a real S3 server (503 SlowDown, connections cut mid-body) are retried
/// with backoff, and the data read is exactly the data on disk; a fault that never ends becomes one clear line.
/// A whole-file upload that fails leaves no object of its own, even one whose bytes landed, and no one else's removed.
/// </summary>
public sealed class ObjectFaultTests : IClassFixture<ObjectFaultTests.Server>
{
    public sealed class Server : IDisposable
    {
        public S3rverProcess S3 { get; } = new();
        public TempDirectory Local { get; } = new();

        public Server()
        {
            using var client = S3Client.For(S3.Endpoint);
            client.Bucket("data");
            SyntheticData.Generate(new GeneratorOptions { Rows = 12_000, Dimensions = 4, Components = 2, Files = 2, RowGroupRows = 2000, Seed = 3 }, Local.File("set"));
            foreach (var file in Directory.GetFiles(Local.File("set"), "*.parquet"))
                client.Upload("data", "set/" + Path.GetFileName(file), file);
        }

        public void Dispose()
        {
            S3.Dispose();
            Local.Dispose();
        }
    }

    private readonly Server _server;

    public ObjectFaultTests(Server server) => _server = server;

    private static ObjectStore Store(string endpoint, int attempts = ObjectStoreSettings.DefaultAttempts) =>
        new(new ObjectStoreSettings { Endpoint = endpoint, Attempts = attempts }, new BasicAWSCredentials(S3rverProcess.AccessKey, S3rverProcess.SecretKey));

    [Theory]
    [InlineData(FaultyProxy.Fault.SlowDown)]
    [InlineData(FaultyProxy.Fault.CutBody)]
    public void Every_third_request_failing_is_retried_and_the_values_equal_the_files_on_disk(FaultyProxy.Fault fault)
    {
        using var proxy = new FaultyProxy(_server.S3.Port, fault);
        using var store = Store(proxy.Endpoint);
        var remote = Dataset.Discover(["s3://data/set/"], new DataOptions { Store = store, ShardRows = 1000 });
        var local = Dataset.Discover([_server.Local.File("set")], new DataOptions { ShardRows = 1000 });
        using var fromDisk = new ShardReader(local);
        using var fromStore = new ShardReader(remote);
        Assert.Equal(local.Shards.Count, remote.Shards.Count);
        foreach (var shard in remote.Shards)
        {
            var expected = fromDisk.Read(local.Shards[shard.Index]).Block;
            var actual = fromStore.Read(shard).Block;
            Assert.True(expected.Values.AsSpan(0, expected.Rows * 4).SequenceEqual(actual.Values.AsSpan(0, actual.Rows * 4)), $"shard {shard.Index}");
        }
        Assert.True(proxy.Spoiled >= proxy.Requests / 3 - 1 && proxy.Spoiled > 3, $"{proxy.Spoiled} of {proxy.Requests} requests spoiled");
    }

    [Fact]
    public void A_fault_that_persists_ends_in_one_line_naming_the_object_after_the_attempts()
    {
        using var proxy = new FaultyProxy(_server.S3.Port, FaultyProxy.Fault.SlowDown, every: 1);
        using var store = Store(proxy.Endpoint, attempts: 3);
        var e = Fixtures.Fails(() => Dataset.Discover(["s3://data/set/"], new DataOptions { Store = store }));
        Assert.Equal($"s3://data/set/: the object store at {proxy.Endpoint} failed 3 times (HTTP 503 SlowDown); giving up", e.Message);
        Assert.Equal(3, proxy.Requests);
    }

    [Fact]
    public async Task An_upload_whose_bytes_landed_but_whose_answers_were_lost_leaves_no_object()
    {
        using var proxy = new FaultyProxy(_server.S3.Port, FaultyProxy.Fault.LoseWriteAnswers);
        using var store = Store(proxy.Endpoint, attempts: 2);
        using var direct = Store(_server.S3.Endpoint);
        var target = "s3://data/lost-answer/model.json";
        var e = await Assert.ThrowsAsync<DataException>(() => ObjectTransfer.WriteAsync(target, local => File.WriteAllText(local, "{\"model\": 1}"), store));
        Assert.StartsWith(target, e.Message);
        // Each attempt sent its bytes (the HTTP handler itself may resend on a connection closed without an answer).
        Assert.True(proxy.RequestLines.Count(l => l.StartsWith("PUT /data/lost-answer/model.json", StringComparison.Ordinal)) >= 2);
        Assert.Contains(proxy.RequestLines, l => l.StartsWith("DELETE /data/lost-answer/model.json", StringComparison.Ordinal));
        Assert.Empty(await direct.ListAsync(ObjectUri.Parse("s3://data/lost-answer/")));
    }

    [Fact]
    public async Task A_failed_upload_leaves_an_object_another_writer_put_there_alone()
    {
        using var direct = Store(_server.S3.Endpoint);
        var target = "s3://data/theirs/model.json";
        await ObjectTransfer.WriteAsync(target, local => File.WriteAllText(local, "theirs"), direct);
        using var proxy = new FaultyProxy(_server.S3.Port, FaultyProxy.Fault.DenyWrites);
        using var store = Store(proxy.Endpoint, attempts: 2);
        await Assert.ThrowsAsync<DataException>(() => ObjectTransfer.WriteAsync(target, local => File.WriteAllText(local, "ours"), store));
        Assert.Equal("theirs", await ObjectTransfer.ReadAsync(target, File.ReadAllText, direct));
    }
}
