namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// <c>--cache-precision float32</c> on a loopback cluster of worker processes: the nodes round the DOUBLE values
/// to float32 as the embedded fit does, so the cluster's model file is the embedded float32 one byte for byte,
/// and it is not the float64 model (the precision reached the nodes).
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class Float32CacheClusterTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] Fit(string output, params string[] extra) =>
        ["fit", data.Directory, "-k", "3", "--covariance", "diag", "--seed", "5", "--shard-rows", "500", "--tol", "0", "--max-iter", "12",
            "--quiet", "--out", output, .. extra];

    [Fact(Timeout = 300_000)]
    public async Task A_float32_cluster_fit_is_the_embedded_float32_fit_byte_for_byte()
    {
        foreach (var (output, precision) in new[] { ("embedded32.json", "float32"), ("embedded64.json", "float64") })
        {
            var embedded = Gmm.Run(_work.Path, Fit(output, "--cache-precision", precision));
            Assert.True(embedded.ExitCode == 0, embedded.ToString());
        }
        Assert.NotEqual(File.ReadAllBytes(_work["embedded64.json"]), File.ReadAllBytes(_work["embedded32.json"]));

        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var coordinator = new GmmProcess(_work.Path, [.. Fit("cluster32.json", "--cache-precision", "float32"),
            "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0", "--min-workers", "2", "--join-timeout", "40s"]);
        var exit = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(exit == 0, coordinator.ToString());
        Assert.Equal(File.ReadAllBytes(_work["embedded32.json"]), File.ReadAllBytes(_work["cluster32.json"]));
    }
}
