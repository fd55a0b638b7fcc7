
namespace DistributedGmm.Core.Kernels;

/// <summary>
/// The instruction set the E-step kernels run on. Chosen per fit (by its coordinator), never from the thread count,
/// so a shard's statistics are the same bits on every machine that runs the same path: the lane count decides how
/// each shard's sums are split, and the vector paths fuse multiply-adds and use the vector exp. Ordered from the
/// narrowest: a node that runs a path runs every narrower one.
/// </summary>
public enum KernelPath
{
    /// <summary>One lane, plain multiply then add, <see cref="Math.Exp"/>: the portable fallback.</summary>
    Scalar,
    /// <summary>4 lanes (AVX2 + FMA, or any 256-bit accelerated vectors).</summary>
    Vector256,
    /// <summary>8 lanes (AVX-512F).</summary>
    Vector512,
}
