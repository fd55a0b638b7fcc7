using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// Nodes of two wire protocols in one cluster, on loopback in this process: the other protocol is announced as
/// the node's <c>akka.cluster.app-version</c> (as a node of another gmm version would), and each side refuses the
/// other with one line naming both versions.
/// </summary>
public sealed class WireProtocolTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gmm-protocol-").FullName;
    private readonly ConcurrentQueue<string> _workerLog = new();
    private readonly List<ActorSystem> _systems = [];
    private string _seed = "";

    private static Config OtherProtocol => ConfigurationFactory.ParseString("akka.cluster.app-version = \"9\"");

    public Task InitializeAsync()
    {
        SyntheticData.Generate(new GeneratorOptions { Rows = 600, Dimensions = 2, Components = 2, Files = 1, RowGroupRows = 100, Seed = 3 }, _dir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_systems.Select(s => s.Terminate()));
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A worker node that forms the cluster on its own; its address is the seed of every other node.</summary>
    private async Task StartWorker(Config? protocol)
    {
        var system = GmmActorSystem.Create(ClusterConfig.SystemName,
            new ClusterNode { Role = ClusterConfig.WorkerRole, Host = "127.0.0.1", Port = 0 }, protocol);
        _systems.Add(system);
        var cluster = Akka.Cluster.Cluster.Get(system);
        _seed = cluster.SelfAddress.ToString();
        var up = new TaskCompletionSource();
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        await cluster.JoinAsync(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30));
        WorkerNodeHost.StartActors(system, new WorkerNodeOptions { Workers = 1, Parallelism = 1, Log = _workerLog.Enqueue });
    }

    private ClusterNode Coordinator => new() { Role = ClusterConfig.CoordinatorRole, Host = "127.0.0.1", Port = 0, SeedNodes = [_seed] };

    [Fact(Timeout = 60_000)]
    public async Task A_coordinator_refuses_a_worker_node_of_another_protocol_at_once_with_both_versions()
    {
        await StartWorker(OtherProtocol);
        using var source = ParquetShardSource.Open([_dir], new DataOptions { ShardRows = 100 });
        var started = DateTime.UtcNow;
        var failure = await Assert.ThrowsAsync<FitFailedException>(() => ClusterFit.RunAsync(new ClusterFitJob
        {
            Job = TestData.Job(TestData.Settings() with { Components = 2 }) with { Runtime = TestData.Runtime with { JoinTimeout = TimeSpan.FromSeconds(40) } },
            Node = Coordinator,
        }, source));
        Assert.Contains($"no worker node can serve the fit: node {_seed} speaks gmm wire protocol 9, this coordinator speaks {GmmMessageSerializer.Version}",
            failure.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "refused without waiting for the join timeout");
        Assert.DoesNotContain(_workerLog, line => line.StartsWith("joined fit", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_worker_node_refuses_a_coordinator_of_another_protocol_and_says_so_when_it_joins()
    {
        await StartWorker(protocol: null);
        var coordinator = GmmActorSystem.Create(ClusterConfig.SystemName, Coordinator, OtherProtocol);
        _systems.Add(coordinator);
        var self = Akka.Cluster.Cluster.Get(coordinator).SelfAddress;
        while (!_workerLog.Any(line => line.Contains($"coordinator {self} speaks gmm wire protocol 9", StringComparison.Ordinal)))
            await Task.Delay(50);
        Assert.Contains(_workerLog, line => line.StartsWith($"refusing the jobs of coordinator {self} speaks gmm wire protocol 9, this node speaks {GmmMessageSerializer.Version}", StringComparison.Ordinal));

        using var source = ParquetShardSource.Open([_dir], new DataOptions { ShardRows = 100 });
        var fitId = Guid.NewGuid();
        var node = coordinator.ActorSelection($"{_seed}/user/{ClusterConfig.NodeActorName}");
        var join = new JoinFit(fitId, coordinator.DeadLetters, DatasetFingerprint.Spec(source.Dataset));
        var refused = await node.Ask<NodeRefused>(join, TimeSpan.FromSeconds(20));
        Assert.Equal(fitId, refused.FitId);
        Assert.Contains($"coordinator {self} speaks gmm wire protocol 9, this node speaks {GmmMessageSerializer.Version}", refused.Reason);
        Assert.DoesNotContain(_workerLog, line => line.StartsWith("joined fit", StringComparison.Ordinal));
    }
}
