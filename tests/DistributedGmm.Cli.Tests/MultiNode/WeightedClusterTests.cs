namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// <c>--weight-column</c> on a loopback cluster of worker processes: the embedded weighted fit bit for bit, and the
/// embedded fit of the repeated rows to 1e-10 (from the same start); a weighted k-means start too.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class WeightedClusterTests : IDisposable
{
    private static readonly TimeSpan FitTimeout = TimeSpan.FromSeconds(120);
    private readonly TempFolder _work = new();

    public WeightedClusterTests()
    {
        var (x, y, w) = WeightColumnTests.Data();
        Directory.CreateDirectory(_work["weighted"]);
        // Two files, so that the nodes share the shards of both.
        var half = x.Length / 2;
        TestParquet.Write(_work["weighted/a.parquet"], [("x", x[..half]), ("y", y[..half]), ("w", w[..half])]);
        TestParquet.Write(_work["weighted/b.parquet"], [("x", x[half..]), ("y", y[half..]), ("w", w[half..])]);
        var repeat = Enumerable.Range(0, x.Length).SelectMany(i => Enumerable.Repeat(i, (int)w[i])).ToArray();
        TestParquet.Write(_work["repeated.parquet"], [("x", repeat.Select(i => x[i]).ToArray()), ("y", repeat.Select(i => y[i]).ToArray())]);
    }

    public void Dispose() => _work.Dispose();

    private void Embedded(params string[] args)
    {
        var result = Gmm.Run(_work.Path, ["fit", .. args, "--quiet"]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task Cluster(WorkerNodes nodes, params string[] args)
    {
        using var coordinator = new GmmProcess(_work.Path,
            ["fit", .. args, "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0", "--join-timeout", "40s", "--min-workers", "2"]);
        var exit = await coordinator.WaitForExitAsync(FitTimeout);
        Assert.True(exit == 0, coordinator.ToString());
    }

    [Theory(Timeout = 240_000)]
    [InlineData("full")]
    [InlineData("spherical")]
    [InlineData("diag")]
    [InlineData("tied")]
    public async Task A_weighted_fit_on_worker_processes_is_the_embedded_one_and_the_repeated_rows_model(string covariance)
    {
        Embedded(_work["repeated.parquet"], "-k", "2", "--covariance", covariance, "--max-iter", "2", "--out", "start.json");
        string[] fromStart = ["--init-model", "start.json", "--max-iter", "8", "--tol", "0", "--shard-rows", "40"];
        Embedded([_work["repeated.parquet"], .. fromStart, "--out", "repeated.json"]);
        Embedded([_work["weighted"], "--weight-column", "w", .. fromStart, "--out", "embedded.json"]);
        string[] drawn = [_work["weighted"], "--weight-column", "w", "-k", "2", "--covariance", covariance, "--seed", "4", "--shard-rows", "40"];
        Embedded([.. drawn, "--out", "embedded-kmeans.json"]);

        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        await Cluster(nodes, [_work["weighted"], "--weight-column", "w", .. fromStart, "--out", "cluster.json"]);
        await Cluster(nodes, [.. drawn, "--out", "cluster-kmeans.json"]);

        MultiNodeTests.AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
        MultiNodeTests.AssertSameModel(_work["embedded-kmeans.json"], _work["cluster-kmeans.json"]);
        WeightColumnTests.AssertClose(_work["repeated.json"], _work["cluster.json"], 1e-10,
            "weights", "means", "covariances", "log_likelihood_history", "log_likelihood", "n_samples", "bic", "aic");
    }
}
