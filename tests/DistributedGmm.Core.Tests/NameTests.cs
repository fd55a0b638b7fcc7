using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Tests;

/// <summary>Covariance types and init methods by scikit-learn's names.</summary>
public class NameTests
{
    [Theory]
    [InlineData("full", CovarianceType.Full)]
    [InlineData("diag", CovarianceType.Diag)]
    [InlineData("spherical", CovarianceType.Spherical)]
    [InlineData(" Tied ", CovarianceType.Tied)]
    public void Covariance_types_parse_and_print(string name, CovarianceType type)
    {
        Assert.Equal(type, CovarianceTypeNames.Parse(name));
        Assert.Equal(name.Trim().ToLowerInvariant(), type.ToName());
    }

    [Theory]
    [InlineData("kmeans", InitMethod.KMeans)]
    [InlineData("k-means++", InitMethod.KMeansPlusPlus)]
    [InlineData("random", InitMethod.Random)]
    [InlineData("random-from-data", InitMethod.RandomFromData)]
    public void Init_methods_parse_and_print(string name, InitMethod method)
    {
        Assert.Equal(method, InitMethodNames.Parse(name));
        Assert.Equal(name, method.ToName());
    }

    [Fact]
    public void Unknown_names_say_what_is_expected()
    {
        Assert.Contains("full, diag, spherical or tied", Assert.Throws<ArgumentException>(() => CovarianceTypeNames.Parse("round")).Message);
        Assert.Contains("k-means++", Assert.Throws<ArgumentException>(() => InitMethodNames.Parse("kmeans+")).Message);
    }

    [Theory]
    [InlineData(CovarianceType.Full, 12)]
    [InlineData(CovarianceType.Diag, 6)]
    [InlineData(CovarianceType.Spherical, 3)]
    [InlineData(CovarianceType.Tied, 4)]
    public void Covariance_lengths_follow_scikit_learn_shapes(CovarianceType type, int length)
    {
        Assert.Equal(length, type.CovarianceLength(3, 2));
        Assert.Throws<ArgumentException>(() => new GaussianMixture(type, 3, 2, [0.2, 0.3, 0.5], new double[6], new double[length + 1]));
    }
}
