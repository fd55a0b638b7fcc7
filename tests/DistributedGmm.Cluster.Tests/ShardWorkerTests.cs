using Akka.Actor;
using Akka.TestKit.Xunit2;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster.Workers;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Tests;

public class ShardWorkerTests() : TestKit(GmmActorSystem.Create("shard-worker-tests", overrides: TestData.Config))
{
    [Fact]
    public void A_worker_registers_and_answers_each_group_with_its_shard_order_fold()
    {
        var shards = TestData.Shards(2000);
        var source = new InMemoryShardSource(shards);
        var worker = Sys.ActorOf(ShardWorker.Props(TestActor, source, new WorkerOptions { Parallelism = 2, CacheBytes = 1 << 20 }));
        ExpectMsg<RegisterWorker>();

        var model = InMemoryFitter.Fit(shards, source.Columns, TestData.Settings() with { MaxIter = 2 }).Mixture;
        var fit = Guid.NewGuid();
        var values = MixtureCodec.Encode(model);
        worker.Tell(new ParametersChunk(fit, 1, 0, 1, values));
        worker.Tell(new ComputeStatistics(fit, 1, 0, model.CovarianceType, 3, 3, 1e-6, KernelPaths.Best, [2, 0]));

        var prepared = PreparedMixture.Prepare(model, 1e-6);
        var replies = new[] { ExpectMsg<GroupResult>(), ExpectMsg<GroupResult>() }.OrderBy(r => r.Group).ToArray();
        Assert.Equal([0, 2], replies.Select(r => r.Group));
        foreach (var reply in replies)
        {
            var first = ShardReduction.FirstShard(reply.Group);
            var expected = ShardReduction.Fold(Enumerable.Range(first, ShardReduction.ShardsIn(reply.Group, shards.Count))
                .Select(s => EStep.Compute(prepared, shards[s])));
            Assert.Equal((1, 0), (reply.Count, reply.Index));
            Assert.Equal(expected.Values.Select(BitConverter.DoubleToInt64Bits), reply.Values.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void A_request_for_parameters_the_worker_never_got_is_refused_not_guessed()
    {
        var source = new InMemoryShardSource(TestData.Shards(500));
        var worker = Sys.ActorOf(ShardWorker.Props(TestActor, source, new WorkerOptions()));
        ExpectMsg<RegisterWorker>();
        worker.Tell(new ComputeStatistics(Guid.NewGuid(), 4, 0, CovarianceType.Full, 3, 3, 1e-6, KernelPaths.Best, [0]));
        var failure = ExpectMsg<GroupFailed>();
        Assert.False(failure.InputError);
    }
}
