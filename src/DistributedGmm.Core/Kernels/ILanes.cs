
namespace DistributedGmm.Core.Kernels;

/// <summary>
/// The few lane-wise operations the kernels need, over a vector type <typeparamref name="TV"/> of doubles.
/// Kernels are written once, generic over an implementing struct, and the JIT specialises them per path.
/// </summary>
internal interface ILanes<TV> where TV : struct
{
    static abstract int Width { get; }
    static abstract TV Zero { get; }
    static abstract TV Splat(double value);
    static abstract TV Load(ref double source);
    static abstract void Store(TV value, ref double destination);
    static abstract TV Add(TV a, TV b);
    static abstract TV Subtract(TV a, TV b);
    static abstract TV Multiply(TV a, TV b);
    static abstract TV Divide(TV a, TV b);
    static abstract TV Max(TV a, TV b);

    /// <summary>a·b + c (fused on the vector paths).</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    /// <summary>e^x to about 1 ulp; exactly 0 below −708 (where <see cref="Math.Exp"/> is subnormal or 0).</summary>
    static abstract TV Exp(TV x);

    static abstract TV Log(TV x);

    /// <summary>p·2^k for integral k in [−1022, 1023].</summary>
    static abstract TV ScaleByPowerOfTwo(TV p, TV k);

    /// <summary>
    /// Width rows of Width values (row i at <c>source + i·sourceStride</c>) into Width columns (column j at
    /// <c>target + j·targetStride</c>), column j less <c>origin[j]</c>: the row-major block into the kernels'
    /// transposed layout and onto its origin, in registers.
    /// </summary>
    static abstract void TransposeTile(ref double source, int sourceStride, ref double origin, ref double target, int targetStride);
}
