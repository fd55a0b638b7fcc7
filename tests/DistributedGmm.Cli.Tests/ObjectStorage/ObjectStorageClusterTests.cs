using DistributedGmm.Cli.Tests.MultiNode;
using DistributedGmm.Data;
using DistributedGmm.Data.Tests.ObjectStorage;

namespace DistributedGmm.Cli.Tests.ObjectStorage;

/// <summary>
/// A fit on three worker processes on loopback whose data is in a real S3-protocol server (s3rver): each worker
/// node reads its own shards from the store (the data exists nowhere else the nodes could read it), and the model
/// equals the embedded fit of the same files on disk, bit for bit.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class ObjectStorageClusterTests : IDisposable
{
    private readonly S3rverProcess _s3 = new();
    private readonly TempFolder _work = new();

    public ObjectStorageClusterTests()
    {
        using var client = S3Client.For(_s3.Endpoint);
        client.Bucket("lake");
        SyntheticData.Generate(new GeneratorOptions { Rows = 30_000, Dimensions = 3, Components = 3, Files = 3, RowGroupRows = 2500, Seed = 9 }, _work["data"]);
        foreach (var file in Directory.GetFiles(_work["data"], "*.parquet"))
            client.Upload("lake", "set/" + Path.GetFileName(file), file);
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = S3rverProcess.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rverProcess.SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL_S3"] = _s3.Endpoint,
    };

    [Fact(Timeout = 240_000)]
    public async Task Three_worker_nodes_reading_s3_give_the_embedded_model_of_the_files_on_disk()
    {
        string[] fit = ["-k", "3", "--seed", "3", "--shard-rows", "1000", "--columns", "x0,x1,x2"];
        var embedded = Gmm.Run(_work.Path, ["fit", _work["data"], .. fit, "--out", "disk.json", "--quiet"]);
        Assert.True(embedded.ExitCode == 0, embedded.ToString());

        using var nodes = new WorkerNodes(_work.Path);
        for (var i = 0; i < 3; i++) await nodes.StartAsync(Environment());
        using var coordinator = new GmmProcess(_work.Path, Environment(),
            ["fit", "s3://lake/set/", .. fit, "--out", "cluster.json", "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0", "--join-timeout", "40s", "--min-workers", "3"]);
        var exit = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(150));
        Assert.True(exit == 0, coordinator.ToString());
        Assert.Contains("3 workers", coordinator.Stderr);
        foreach (var node in nodes.Nodes) Assert.Contains("joined fit", node.Stderr);
        MultiNodeTests.AssertSameModel(_work["disk.json"], _work["cluster.json"]);
    }

    public void Dispose()
    {
        _work.Dispose();
        _s3.Dispose();
    }
}
