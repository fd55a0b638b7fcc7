using System.Text.Json;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// Real processes on loopback: worker nodes (<c>gmm node</c>) and a coordinator (<c>gmm fit --cluster</c>), each on a
/// free port, every process killed at the end whatever happens. The cluster's model must equal the embedded fit's bit for bit.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class MultiNodeTests(GeneratedData data, SlowData slow) : IClassFixture<GeneratedData>, IClassFixture<SlowData>, IDisposable
{
    private static readonly TimeSpan FitTimeout = TimeSpan.FromSeconds(120);
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] SmallFit(string output) => [data.Directory, "-k", "3", "--seed", "3", "--shard-rows", "500", "--out", output];

    private string[] SlowFit(string output, int iterations = 30) =>
        [slow.Directory, "-k", "8", "--seed", "1", "--tol", "0", "--max-iter", $"{iterations}", "--shard-rows", "5000", "--out", output];

    private Gmm.Result Embedded(string[] fit)
    {
        var result = Gmm.Run(_work.Path, ["fit", .. fit, "--quiet"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private GmmProcess Coordinator(WorkerNodes nodes, string[] fit, params string[] extra) =>
        new(_work.Path, ["fit", .. fit, "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0", "--join-timeout", "40s", .. extra]);

    private static async Task Succeeds(GmmProcess coordinator)
    {
        var exit = await coordinator.WaitForExitAsync(FitTimeout);
        Assert.True(exit == 0, coordinator.ToString());
    }

    [Theory(Timeout = 180_000)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_fit_over_worker_processes_equals_the_embedded_fit_bit_for_bit(int workers)
    {
        Embedded(SmallFit("embedded.json"));
        using var nodes = new WorkerNodes(_work.Path);
        for (var i = 0; i < workers; i++) await nodes.StartAsync();
        using var coordinator = Coordinator(nodes, SmallFit("cluster.json"), "--min-workers", $"{workers}");
        await Succeeds(coordinator);
        Assert.Contains($"{workers} workers", coordinator.Stderr);
        AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
        foreach (var node in nodes.Nodes) Assert.Contains("joined fit", node.Stderr);

        // SIGTERM: the node leaves the cluster and exits 0.
        var last = nodes.Nodes[^1];
        last.Signal("TERM");
        Assert.True(await last.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, last.ToString());
        Assert.Contains("leaving the cluster", last.Stderr);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_worker_killed_mid_squarem_fit_costs_its_groups_not_the_result()
    {
        // tol 0: all 200 passes run, extrapolated, stabilised and checked, whatever the kill does to the timing.
        string[] Fit(string output) => [.. SlowFit(output, 200), "--accelerate", "squarem"];
        Embedded(Fit("embedded.json"));
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = Coordinator(nodes, Fit("cluster.json"), "--min-workers", "2");
        await coordinator.WaitForStderrAsync("(pass 3)", FitTimeout);
        nodes.Nodes[1].Signal("KILL");
        await Succeeds(coordinator);
        Assert.Contains(", 1 worker,", coordinator.Stderr);
        AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
        using var model = JsonDocument.Parse(File.ReadAllText(_work["cluster.json"]));
        Assert.Equal(200, model.RootElement.GetProperty("n_passes").GetInt32());
        Assert.True(model.RootElement.GetProperty("n_iter").GetInt32() <= 100, "a SQUAREM cycle takes two passes or more");
    }

    [Fact(Timeout = 240_000)]
    public async Task A_worker_killed_mid_fit_costs_its_groups_not_the_result()
    {
        // 200 iterations: with 30 the fit could end before the kill reached the node.
        const int iterations = 200;
        Embedded(SlowFit("embedded.json", iterations));
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        TimeSpan faultFree;
        using (var clean = Coordinator(nodes, SlowFit("clean.json", iterations), "--min-workers", "2"))
        {
            await Succeeds(clean);
            faultFree = clean.Elapsed;
        }
        using var coordinator = Coordinator(nodes, SlowFit("cluster.json", iterations), "--min-workers", "2");
        await coordinator.WaitForStderrAsync("iteration 2:", FitTimeout);
        nodes.Nodes[1].Signal("KILL");
        await Succeeds(coordinator);
        Assert.Contains(", 1 worker,", coordinator.Stderr);
        AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
        Assert.True(coordinator.Elapsed - faultFree < TimeSpan.FromSeconds(15),
            $"fault-free {faultFree.TotalSeconds:F1} s, with the kill {coordinator.Elapsed.TotalSeconds:F1} s");
    }

    [Fact(Timeout = 240_000)]
    public async Task A_worker_that_joins_mid_fit_gets_groups_from_a_later_iteration()
    {
        Embedded(SlowFit("embedded.json", 400));
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        using var coordinator = Coordinator(nodes, SlowFit("cluster.json", 400));
        await coordinator.WaitForStderrAsync("iteration 2:", FitTimeout);
        GmmProcess late;
        // The node must join while the fit still runs, however fast the iterations are: a faster E-step once let 400
        // iterations end before a node started after iteration 2 was up. Until the node has joined the fit, the
        // coordinator runs 5 ms in every 100, so it completes at most an iteration or two a period: 400 iterations
        // then last well over a node's start and join.
        using (new ProcessThrottle(coordinator, run: TimeSpan.FromMilliseconds(5), pause: TimeSpan.FromMilliseconds(95)))
        {
            late = await nodes.StartAsync();
            await late.WaitForStderrAsync("joined fit", FitTimeout);
        }
        await Succeeds(coordinator);
        Assert.Contains(", 1 worker,", coordinator.Stderr);
        Assert.Contains("2 workers", coordinator.Stderr);
        Assert.Contains("joined fit", late.Stderr);
        AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
    }

    [Fact(Timeout = 240_000)]
    public async Task Sixty_four_components_in_sixty_four_dimensions_cross_processes_in_chunks()
    {
        var generate = Gmm.Run(_work.Path, "generate", "--out", "wide", "--rows", "3000", "--dims", "64", "--components", "4", "--seed", "2");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        string[] fit = [_work["wide"], "-k", "64", "--covariance", "full", "--init", "random-from-data", "--tol", "0", "--max-iter", "2", "--shard-rows", "200"];
        Embedded([.. fit, "--out", "embedded.json"]);
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = Coordinator(nodes, [.. fit, "--out", "cluster.json"], "--min-workers", "2");
        await Succeeds(coordinator);
        AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task Too_few_workers_within_the_join_timeout_is_one_clear_error_and_no_model()
    {
        using var nodes = new WorkerNodes(_work.Path);
        var node = await nodes.StartAsync("--ready-file", "ready.txt");
        Assert.StartsWith("akka.tcp://gmm@127.0.0.1:", File.ReadAllText(_work["ready.txt"]));
        using var coordinator = new GmmProcess(_work.Path, ["fit", .. SmallFit("cluster.json"), "--cluster", "--seed-nodes", nodes.SeedNodes,
            "--min-workers", "3", "--join-timeout", "5s"]);
        var exit = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains("gmm: error: only 1 of 3 worker node(s) joined within 5 s", coordinator.Stderr);
        Assert.False(File.Exists(_work["cluster.json"]));
        node.Signal("TERM");
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(_work["ready.txt"]));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_node_that_cannot_read_the_data_says_so_and_the_fit_fails_with_its_reason()
    {
        Directory.CreateDirectory(_work["local"]);
        File.Copy(Path.Combine(data.Directory, "part-00000.parquet"), _work["local/part-00000.parquet"]);
        using var nodes = new WorkerNodes(_work.Path);
        using var coordinator = new GmmProcess(_work.Path, ["fit", "local", "-k", "2", "--out", "cluster.json", "--cluster", "--seed-nodes", nodes.SeedNodes,
            "--join-timeout", "30s"]);
        await coordinator.WaitForStderrAsync("waiting up to", TimeSpan.FromSeconds(30)); // the coordinator has read the data
        File.Delete(_work["local/part-00000.parquet"]);
        var node = await nodes.StartAsync();
        var exit = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.Contains("cannot read the data", coordinator.Stderr);
        await node.WaitForStderrAsync("refused job", TimeSpan.FromSeconds(5));
        Assert.False(File.Exists(_work["cluster.json"]));
    }

    [Fact(Timeout = 180_000)]
    public async Task Predict_on_the_cluster_writes_the_same_files_as_the_embedded_run()
    {
        Embedded(SmallFit("model.json"));
        string[] predict = ["predict", data.Directory, "--model", "model.json", "--shard-rows", "500"];
        var embedded = Gmm.Run(_work.Path, [.. predict, "--out", "embedded"]);
        Assert.True(embedded.ExitCode == 0, embedded.ToString());
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = new GmmProcess(_work.Path, [.. predict, "--out", "cluster", "--cluster", "--seed-nodes", nodes.SeedNodes, "--min-workers", "2"]);
        await Succeeds(coordinator);
        string[] files = ["part-00000.parquet", "part-00001.parquet"];
        Assert.Equal(files, Directory.GetFiles(_work["cluster"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var columns = new[] { "x0", "x1", "log_likelihood", "prob_0", "prob_1", "prob_2" };
        foreach (var file in files)
        {
            Assert.Equal(ReadColumns(_work[Path.Combine("embedded", file)], columns), ReadColumns(_work[Path.Combine("cluster", file)], columns));
        }
        Assert.Contains(nodes.Nodes, n => n.Stderr.Contains("wrote", StringComparison.Ordinal));
    }

    private static long[] ReadColumns(string path, string[] columns)
    {
        var dataset = DistributedGmm.Data.Dataset.Discover([path], new DistributedGmm.Data.DataOptions { Columns = columns });
        using var reader = new DistributedGmm.Data.ShardReader(dataset);
        return dataset.Shards.SelectMany(s => reader.Read(s).Block.Span.ToArray()).Select(BitConverter.DoubleToInt64Bits).ToArray();
    }

    [Fact(Timeout = 180_000)]
    public async Task Score_on_the_cluster_equals_the_embedded_score_bit_for_bit()
    {
        Embedded(SmallFit("model.json"));
        string[] score = ["score", data.Directory, "--model", "model.json", "--shard-rows", "500", "--json"];
        var embedded = Gmm.Run(_work.Path, score);
        Assert.True(embedded.ExitCode == 0, embedded.ToString());
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = new GmmProcess(_work.Path, [.. score, "--cluster", "--seed-nodes", nodes.SeedNodes, "--min-workers", "2"]);
        await Succeeds(coordinator);
        using var expected = JsonDocument.Parse(embedded.Stdout);
        using var actual = JsonDocument.Parse(coordinator.Stdout);
        foreach (var key in new[] { "n_samples", "log_likelihood", "mean_log_likelihood", "bic", "aic" })
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.RootElement.GetProperty(key).GetDouble()),
                BitConverter.DoubleToInt64Bits(actual.RootElement.GetProperty(key).GetDouble()));
    }

    /// <summary>Weights, means, covariances and the log-likelihood history equal as doubles, bit for bit.</summary>
    internal static void AssertSameModel(string expectedPath, string actualPath)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(expectedPath));
        using var actual = JsonDocument.Parse(File.ReadAllText(actualPath));
        foreach (var key in new[] { "weights", "means", "covariances", "log_likelihood_history", "log_likelihood", "n_iter", "n_passes", "n_samples" })
        {
            var a = Flatten(expected.RootElement.GetProperty(key)).Select(BitConverter.DoubleToInt64Bits).ToArray();
            var b = Flatten(actual.RootElement.GetProperty(key)).Select(BitConverter.DoubleToInt64Bits).ToArray();
            Assert.True(a.SequenceEqual(b), $"{key} differs between {expectedPath} and {actualPath}");
        }
    }

    private static IEnumerable<double> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [e.GetDouble()];
}
