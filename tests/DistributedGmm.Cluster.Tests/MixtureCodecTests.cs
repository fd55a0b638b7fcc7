using DistributedGmm.Cluster.Serialization;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Tests;

public class MixtureCodecTests
{
    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    [InlineData(CovarianceType.Tied)]
    public void A_mixture_round_trips_and_prepares_to_the_same_factors(CovarianceType type)
    {
        var shards = TestData.Shards(600);
        var fitted = InMemoryFitter.Fit(shards, ["a", "b", "c"], TestData.Settings(type) with { MaxIter = 3 }).Mixture;
        var encoded = MixtureCodec.Encode(fitted);
        var packed = type is CovarianceType.Full ? 3 * 6 : type is CovarianceType.Tied ? 6 : type.CovarianceLength(3, 3);
        Assert.Equal(3 + 9 + packed, encoded.Length);
        var back = MixtureCodec.Decode(type, 3, 3, encoded);
        var a = PreparedMixture.Prepare(fitted);
        var b = PreparedMixture.Prepare(back);
        Assert.Equal(a.PrecisionFactors.Select(BitConverter.DoubleToInt64Bits), b.PrecisionFactors.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(a.LogDetPrecisionFactors.Select(BitConverter.DoubleToInt64Bits), b.LogDetPrecisionFactors.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(fitted.Means, back.Means);
        Assert.Throws<ArgumentException>(() => MixtureCodec.Decode(type, 3, 3, encoded[..^1]));
    }
}
