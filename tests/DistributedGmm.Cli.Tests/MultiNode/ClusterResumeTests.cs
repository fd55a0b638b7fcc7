namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// A <c>gmm fit --cluster --checkpoint</c> coordinator SIGKILLed mid-fit, resumed with <c>--resume</c> on the same
/// worker nodes, writes the model file of an uninterrupted embedded fit, byte for byte.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class ClusterResumeTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] Fit(string output) =>
        ["fit", data.Directory, "-k", "6", "--tol", "0", "--max-iter", "60", "--n-init", "2", "--seed", "5", "--shard-rows", "500", "--out", output];

    [Fact(Timeout = 240_000)]
    public async Task A_killed_cluster_coordinator_resumes_to_the_embedded_model()
    {
        var embedded = Gmm.Run(_work.Path, [.. Fit("embedded.json"), "--quiet"]);
        Assert.True(embedded.ExitCode == 0, embedded.ToString());

        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        string[] Cluster(string output) =>
            [.. Fit(output), "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0", "--min-workers", "2", "--join-timeout", "40s", "--checkpoint", "cp"];
        using (var killed = new GmmProcess(_work.Path, Cluster("cluster.json")))
        {
            await killed.WaitForStderrAsync("iteration 3:", TimeSpan.FromSeconds(90));
            killed.Signal("KILL");
            Assert.Equal(137, await killed.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        Assert.False(File.Exists(_work["cluster.json"]));

        using var resumed = new GmmProcess(_work.Path, [.. Cluster("cluster.json"), "--resume"]);
        var exit = await resumed.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(exit == 0, resumed.ToString());
        Assert.Contains("gmm: resuming from", resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(_work["embedded.json"]), File.ReadAllBytes(_work["cluster.json"]));
    }
}
