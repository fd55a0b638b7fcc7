namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// <c>gmm predict --cluster</c> on two real worker nodes on loopback, with fewer, as many and more files than nodes,
/// files of one and of several shards, and a node SIGKILLed mid-predict: every output equals the embedded
/// predict's row for row, and no temporary is left beside them.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class ClusterPredictTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    /// <summary>Generates <paramref name="files"/> files, fits a model to them, and writes the embedded predictions to "embedded".</summary>
    private string[] Prepare(int files, int rows, int rowGroupRows, int shardRows)
    {
        Succeeds(Gmm.Run(_work.Path, "generate", "--out", "data", "--rows", $"{rows}", "--dims", "3", "--components", "3", "--files", $"{files}",
            "--row-group-rows", $"{rowGroupRows}", "--seed", "7"));
        Succeeds(Gmm.Run(_work.Path, "fit", "data", "-k", "3", "--max-iter", "5", "--seed", "1", "--out", "model.json", "--quiet"));
        string[] predict = ["predict", "data", "--model", "model.json", "--shard-rows", $"{shardRows}"];
        Succeeds(Gmm.Run(_work.Path, [.. predict, "--out", "embedded"]));
        return predict;
    }

    private static void Succeeds(Gmm.Result result) => Assert.True(result.ExitCode == 0, result.ToString());

    private void AssertSameAsEmbedded(int files)
    {
        var expected = Enumerable.Range(0, files).Select(f => $"part-{f:D5}.parquet").ToArray();
        Assert.Equal(expected, Directory.GetFiles(_work["cluster"], "*", new EnumerationOptions { AttributesToSkip = 0 })
            .Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in expected) ParquetContent.AssertEqual(_work[Path.Combine("embedded", file)], _work[Path.Combine("cluster", file)]);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(1, 6000, 1000, 500)] // fewer files than nodes, 12 shards in one file
    [InlineData(3, 6000, 2000, 2000)] // more files than nodes, one shard each
    [InlineData(8, 16000, 1000, 700)] // four times as many files as nodes, several shards each, the last of a row group shorter
    public async Task Every_file_is_written_and_equals_the_embedded_predict(int files, int rows, int rowGroupRows, int shardRows)
    {
        var predict = Prepare(files, rows, rowGroupRows, shardRows);
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = new GmmProcess(_work.Path, [.. predict, "--out", "cluster", "--cluster", "--seed-nodes", nodes.SeedNodes,
            "--min-workers", "2", "--join-timeout", "40s"]);
        var exit = await coordinator.WaitForExitAsync(Timeout);
        Assert.True(exit == 0, coordinator.ToString());
        AssertSameAsEmbedded(files);
        if (files > 1) Assert.All(nodes.Nodes, n => Assert.Contains("gmm node: wrote", n.Stderr)); // both nodes took part
    }

    [Fact(Timeout = 120_000)]
    public async Task Ctrl_c_on_the_coordinator_removes_the_files_written_and_the_nodes_drop_theirs_before_it_exits()
    {
        var predict = Prepare(8, 400_000, 10_000, 5000);
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = new GmmProcess(_work.Path, [.. predict, "--out", "cluster", "--cluster", "--seed-nodes", nodes.SeedNodes,
            "--min-workers", "2", "--join-timeout", "40s"]);
        await Task.WhenAny(nodes.Nodes.Select(n => n.WaitForStderrAsync("gmm node: wrote", Timeout)));
        Assert.NotEmpty(Directory.GetFiles(_work["cluster"], "*.parquet")); // a file stands when the job is cancelled
        coordinator.Signal("INT");
        Assert.True(await coordinator.WaitForExitAsync(Timeout) == 130, coordinator.ToString());
        Assert.Contains(nodes.Nodes, n => n.Stderr.Contains("gmm node: dropped", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(_work["cluster"], "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true }));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_node_killed_mid_predict_loses_its_file_to_the_other_and_leaves_nothing_half_written()
    {
        // Files large enough that a node is still writing its next file when it is killed right after it wrote one.
        var predict = Prepare(8, 400_000, 10_000, 5000);
        using var nodes = new WorkerNodes(_work.Path);
        var victim = await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = new GmmProcess(_work.Path, [.. predict, "--out", "cluster", "--cluster", "--seed-nodes", nodes.SeedNodes,
            "--min-workers", "2", "--join-timeout", "40s"]);
        await victim.WaitForStderrAsync("gmm node: wrote", Timeout);
        victim.Signal("KILL");
        var exit = await coordinator.WaitForExitAsync(Timeout);
        Assert.True(exit == 0, coordinator.ToString());
        AssertSameAsEmbedded(8);
    }
}
