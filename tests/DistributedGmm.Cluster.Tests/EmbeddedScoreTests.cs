using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster.Tests;

public class EmbeddedScoreTests
{
    [Fact]
    public async Task Scoring_gives_the_in_memory_e_step_log_likelihood()
    {
        var model = TestData.InMemory(TestData.Settings() with { MaxIter = 3 });
        var scored = await EmbeddedFit.RunPlanAsync(TestData.Job(model.Settings!, 3), TestData.StandardSource, null, TestData.Hooks,
            model.Mixture, default);
        var expected = InMemoryFitter.Statistics(PreparedMixture.Prepare(model.Mixture), TestData.Standard);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected.LogLikelihood), BitConverter.DoubleToInt64Bits(scored.LogLikelihood));
        Assert.Equal(BitConverter.DoubleToInt64Bits(model.LogLikelihood), BitConverter.DoubleToInt64Bits(scored.LogLikelihood));
        Assert.Equal(TestData.StandardSource.TotalRows, scored.Samples);
        Assert.Same(model.Mixture, scored.Mixture);
    }
}
