using System.Text.Json;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// One kernel path per fit, decided by the coordinator: a cluster fit with <c>--kernel vector256</c> is the embedded
/// <c>--kernel vector256</c> fit bit for bit; auto takes the widest path every joined node runs, so a node started
/// with GMM_KERNEL=vector256 brings the fit down to vector256, and a fit asking for a wider path refuses that node.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class KernelPathClusterTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] Fit(string output, params string[] extra) =>
        ["fit", data.Directory, "-k", "3", "--seed", "3", "--shard-rows", "500", "--quiet", "--out", output, .. extra];

    private string RecordedKernel(string file) =>
        JsonDocument.Parse(File.ReadAllBytes(_work[file])).RootElement.GetProperty("settings").GetProperty("kernel").GetString()!;

    private async Task<GmmProcess> ClusterFit(WorkerNodes nodes, int minWorkers, string joinTimeout, params string[] fit)
    {
        var coordinator = new GmmProcess(_work.Path, [.. fit, "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0",
            "--min-workers", $"{minWorkers}", "--join-timeout", joinTimeout]);
        await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return coordinator;
    }

    [Fact(Timeout = 300_000)]
    public async Task The_coordinator_decides_the_kernel_path_and_every_node_runs_it()
    {
        var best = KernelPaths.Name(KernelPaths.Best);
        var embedded = Gmm.Run(_work.Path, Fit("embedded256.json", "--kernel", "vector256"));
        Assert.True(embedded.ExitCode == 0, embedded.ToString());
        Assert.Equal("vector256", RecordedKernel("embedded256.json"));

        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        using (var fit = await ClusterFit(nodes, 1, "40s", Fit("cluster256.json", "--kernel", "vector256")))
            Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Equal(File.ReadAllBytes(_work["embedded256.json"]), File.ReadAllBytes(_work["cluster256.json"]));
        using (var fit = await ClusterFit(nodes, 1, "40s", Fit("auto.json")))
            Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Equal(best, RecordedKernel("auto.json"));

        // A node forced to vector256: auto runs the whole fit on vector256 (its model is the embedded vector256 one).
        await nodes.StartAsync(new Dictionary<string, string> { [KernelPaths.Variable] = "vector256" });
        using (var fit = await ClusterFit(nodes, 2, "40s", Fit("mixed.json")))
            Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Equal("vector256", RecordedKernel("mixed.json"));
        Assert.Equal(File.ReadAllBytes(_work["embedded256.json"]), File.ReadAllBytes(_work["mixed.json"]));

        if (KernelPaths.Best != KernelPath.Vector512) return; // the machine itself cannot ask for more than vector256
        Assert.NotEqual(File.ReadAllBytes(_work["auto.json"]), File.ReadAllBytes(_work["mixed.json"]));
        using var refused = await ClusterFit(nodes, 2, "8s", Fit("refused.json", "--kernel", "vector512"));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("cannot run the fit's kernel path vector512: this node runs vector256 at most", refused.Stderr);
        Assert.False(File.Exists(_work["refused.json"]));
    }
}
