using System.Runtime.Intrinsics;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Core.Tests;

/// <summary>
/// The default kernel path is the widest the machine accelerates; GMM_KERNEL=vector256 gives a cluster of AVX2 and
/// AVX-512 nodes one common path, and an unknown value is refused by name.
/// </summary>
public sealed class KernelPathTests
{
    private static KernelPath Widest => Vector512.IsHardwareAccelerated ? KernelPath.Vector512
        : Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vector512")]
    [InlineData(" Vector512 ")]
    public void DefaultIsTheWidestAcceleratedPath(string? requested) => Assert.Equal(Widest, KernelPaths.Choose(requested));

    [Fact]
    public void NarrowerPathsCanBeChosen()
    {
        Assert.Equal(Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar, KernelPaths.Choose("vector256"));
        Assert.Equal(KernelPath.Scalar, KernelPaths.Choose("scalar"));
    }

    [Fact]
    public void AnUnknownPathIsRefusedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => KernelPaths.Choose("avx9000"));
        Assert.Contains("GMM_KERNEL=avx9000", error.Message);
    }
}
