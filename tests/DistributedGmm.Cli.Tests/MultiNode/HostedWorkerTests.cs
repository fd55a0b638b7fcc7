using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Data.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// The docs' example (docs/cluster.md, "A worker node inside your own .NET application"): a worker node hosted inside a
/// generic host of this process with one call, <c>services.AddGmmWorker</c>, serves a real <c>gmm fit --cluster</c>
/// coordinator process, and the model file it writes is the embedded fit's, byte for byte.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class HostedWorkerTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] Fit(string output) => ["fit", data.Directory, "-k", "3", "--seed", "3", "--shard-rows", "500", "--out", output];

    [Fact(Timeout = 180_000)]
    public async Task A_worker_hosted_by_AddGmmWorker_serves_a_gmm_fit_cluster_coordinator_equal_to_the_embedded_fit()
    {
        var embedded = Gmm.Run(_work.Path, Fit("embedded.json"));
        Assert.True(embedded.ExitCode == 0, embedded.ToString());

        var port = LoopbackPorts.Claim();
        var seed = $"akka.tcp://{ClusterConfig.SystemName}@127.0.0.1:{port}";
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGmmWorker(
            new ClusterNode { Role = ClusterConfig.WorkerRole, Host = "127.0.0.1", Port = port, SeedNodes = [seed] },
            new WorkerNodeOptions { Workers = 2 });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using var coordinator = new GmmProcess(_work.Path, [.. Fit("cluster.json"), "--cluster", "--seed-nodes", seed, "--port", "0",
                "--join-timeout", "40s"]);
            var exit = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, coordinator.ToString());
            Assert.Contains("2 workers", coordinator.Stderr);
            Assert.Equal(File.ReadAllBytes(_work["embedded.json"]), File.ReadAllBytes(_work["cluster.json"]));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
