using Akka.Actor;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Data;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// <c>predict --cluster</c> against a worker node that takes a file and then hangs (a stuck mount, say): in-process
/// systems on loopback, the node a stand-in at /user/gmm-node that answers as told.
/// </summary>
public sealed class PredictTimeoutTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("gmm-predict-").FullName;
    private readonly ActorSystem _worker;

    public PredictTimeoutTests()
    {
        _worker = GmmActorSystem.Create(ClusterConfig.SystemName, Node(ClusterConfig.WorkerRole));
        var cluster = Akka.Cluster.Cluster.Get(_worker);
        cluster.Join(cluster.SelfAddress);
    }

    private static ClusterNode Node(string role, string? seed = null) => ClusterConfig.Load(
        new NodeSettings { Role = role, Host = "127.0.0.1", Port = 0, SeedNodes = seed is null ? [] : [seed] }, _ => null);

    private Task Predict()
    {
        SyntheticData.Generate(new GeneratorOptions { Rows = 400, Dimensions = 3, Components = 3, Files = 1, RowGroupRows = 100, Seed = 2 }, _dir);
        var source = ParquetShardSource.Open([_dir], new DataOptions { ShardRows = 100 });
        var job = new ClusterFitJob
        {
            Job = TestData.Job(TestData.Settings()) with
            {
                Runtime = GmmSettings.Default with { RequestTimeout = Timeout, JoinTimeout = TimeSpan.FromSeconds(30) },
                MaxGroupAttempts = 3,
            },
            Node = Node(ClusterConfig.CoordinatorRole, Akka.Cluster.Cluster.Get(_worker).SelfAddress.ToString()),
        };
        return ClusterFit.PredictAsync(TestData.Truth(), job, source, [Path.Combine(_dir, "out.parquet")])
            .ContinueWith(t => { source.Dispose(); return t; }).Unwrap();
    }

    [Fact]
    public async Task A_node_that_writes_no_shard_within_the_request_timeout_loses_the_file_and_the_job_fails_with_its_reason()
    {
        var asked = new TaskCompletionSource();
        _worker.ActorOf(Props.Create(() => new StandInNode(_ => asked.TrySetResult(), null)), ClusterConfig.NodeActorName);
        var started = DateTime.UtcNow;
        var failure = await Assert.ThrowsAsync<FitFailedException>(() => Predict().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(asked.Task.IsCompleted, "the node was given the file");
        Assert.Contains("wrote no shard of", failure.Message);
        Assert.Contains("within 2 s", failure.Message);
        Assert.True(DateTime.UtcNow - started >= Timeout, "it waited for the timeout");
    }

    [Fact]
    public async Task A_node_that_reports_each_shard_keeps_its_file_past_the_request_timeout()
    {
        // Eight shards, each reported 0.4 s apart (a fifth of the timeout, room for a loaded machine): 3.2 s in all.
        _worker.ActorOf(Props.Create(() => new StandInNode(null, TimeSpan.FromMilliseconds(400))), ClusterConfig.NodeActorName);
        var started = DateTime.UtcNow;
        await Predict().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(DateTime.UtcNow - started >= 1.5 * Timeout, "the file took longer than the timeout");
    }

    /// <summary>Takes the model, then for a file either says nothing or reports eight shards a pace apart and succeeds.</summary>
    private sealed class StandInNode : ReceiveActor
    {
        public StandInNode(Action<PredictFile>? asked, TimeSpan? pace)
        {
            Receive<ParametersChunk>(_ => { });
            ReceiveAsync<PredictFile>(async m =>
            {
                asked?.Invoke(m);
                if (pace is not { } step) return;
                var coordinator = Sender;
                for (var shard = 0; shard < 8; shard++)
                {
                    await Task.Delay(step);
                    coordinator.Tell(new FileProgress(m.JobId, m.FileIndex));
                }
                coordinator.Tell(new FilePredicted(m.JobId, m.FileIndex, false, null));
            });
        }
    }

    public void Dispose()
    {
        _worker.Terminate().Wait(TimeSpan.FromSeconds(10));
        Directory.Delete(_dir, recursive: true);
    }
}
