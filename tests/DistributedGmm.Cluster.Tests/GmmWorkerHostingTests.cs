using System.Net;
using System.Net.Sockets;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Data;
using Microsoft.Extensions.Hosting;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// A worker node hosted inside an application's own generic host with one call (<c>services.AddGmmWorker</c>), and a
/// coordinator in this process fitting against it over loopback: the model equals the embedded fit's bit for bit.
/// </summary>
public sealed class GmmWorkerHostingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gmm-hosted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact(Timeout = 120_000)]
    public async Task A_worker_hosted_by_AddGmmWorker_serves_a_cluster_fit_equal_to_the_embedded_fit()
    {
        SyntheticData.Generate(new GeneratorOptions { Rows = 3000, Dimensions = 3, Components = 3, Files = 2, RowGroupRows = 250, Seed = 4 }, _dir);
        var data = new DataOptions { ShardRows = 200 };
        var settings = TestData.Settings();
        var port = FreePort();
        var seed = $"akka.tcp://{ClusterConfig.SystemName}@127.0.0.1:{port}";

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGmmWorker(
            new ClusterNode { Role = ClusterConfig.WorkerRole, Host = "127.0.0.1", Port = port, SeedNodes = [seed] },
            new WorkerNodeOptions { Workers = 2, Parallelism = 2 });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using var clusterSource = ParquetShardSource.Open([_dir], data);
            var cluster = await ClusterFit.RunAsync(new ClusterFitJob
            {
                Job = TestData.Job(settings),
                Node = new ClusterNode { Role = ClusterConfig.CoordinatorRole, Host = "127.0.0.1", Port = 0, SeedNodes = [seed] },
                JoinTimeout = TimeSpan.FromSeconds(60),
            }, clusterSource);

            using var embeddedSource = ParquetShardSource.Open([_dir], data);
            var embedded = await EmbeddedFit.RunAsync(TestData.Job(settings), embeddedSource);
            ModelAssert.BitIdentical(embedded, cluster);
            Assert.True(cluster.Iterations > 1);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Only_a_worker_node_can_be_hosted_as_a_worker() =>
        Assert.Throws<ArgumentException>(() => new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddGmmWorker(new ClusterNode { Role = ClusterConfig.CoordinatorRole }));
}
