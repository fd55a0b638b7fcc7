using Akka.Actor;
using Akka.Serialization;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

public class LargeModelTests
{
    [Fact]
    public async Task Sixty_four_components_in_sixty_four_dimensions_go_through_in_chunks_under_the_frame_limit()
    {
        const int k = 64, d = 64;
        var random = new Random(5);
        var weights = Enumerable.Repeat(1.0 / k, k).ToArray();
        var means = Enumerable.Range(0, k * d).Select(_ => random.NextDouble() * 10).ToArray();
        var covariances = new double[k * d * d];
        for (var c = 0; c < k; c++)
        for (var a = 0; a < d; a++)
            covariances[(c * d + a) * d + a] = 1 + 0.01 * a;
        var truth = new GaussianMixture(CovarianceType.Full, k, d, weights, means, covariances);
        var sampler = new MixtureSampler(truth, 3);
        var shards = Enumerable.Range(0, 20).Select(_ => sampler.Sample(128)).ToArray();
        var settings = new FitSettings
        {
            Components = k, CovarianceType = CovarianceType.Full, MaxIter = 2, Tol = 0, RegCovar = 1e-2, InitModel = truth,
        };
        var source = new InMemoryShardSource(shards);

        MeasuringSerializer? serializer = null;
        var system = ActorSystem.Create("large-model", BootstrapSetup.Create().WithConfig(TestData.Config)
            .And(SerializationSetup.Create(s => [SerializerDetails.Create("gmm", serializer = new MeasuringSerializer(s), [typeof(IGmmMessage)])])));
        var model = await TestRuntime.RunAsync(TestData.Job(settings, 2), source, system: system);

        ModelAssert.BitIdentical(InMemoryFitter.Fit(shards, source.Columns, settings), model);
        Assert.True(Chunking.ChunkCount(MixtureCodec.Length(CovarianceType.Full, k, d)) >= 17);
        Assert.InRange(serializer!.LargestFrame, Chunking.ChunkDoubles * 8, GmmMessageSerializer.MaxFrameBytes);
    }
}
