using System.Runtime.Intrinsics;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// The default kernel path is 256-bit wherever it is accelerated, so AVX2 and AVX-512 nodes of one cluster
/// compute the same bits; GMM_KERNEL chooses another.
/// </summary>
public sealed class KernelPathTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vector256")]
    [InlineData(" Vector256 ")]
    public void DefaultIsTheWidthEveryX86NodeShares(string? requested)
    {
        var expected = Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar;
        Assert.Equal(expected, KernelPaths.Choose(requested));
    }

    [Fact]
    public void Vector512IsTakenOnlyWhereAccelerated()
    {
        var expected = Vector512.IsHardwareAccelerated ? KernelPath.Vector512
            : Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar;
        Assert.Equal(expected, KernelPaths.Choose("vector512"));
        Assert.Equal(KernelPath.Scalar, KernelPaths.Choose("scalar"));
    }

    [Fact]
    public void AnUnknownPathIsRefusedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KernelPaths.Choose("avx9000"));
        Assert.Contains("GMM_KERNEL=avx9000", error.Message);
    }
}
