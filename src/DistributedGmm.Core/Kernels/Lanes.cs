using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;

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

public static class KernelPaths
{
    /// <summary>The environment variable that overrides the default path: scalar, vector256 or vector512.</summary>
    public const string Variable = "GMM_KERNEL";

    /// <summary>
    /// The widest accelerated path (AVX-512 is ~30% faster than AVX2 through <c>gmm fit</c> at N = 1e6, d = 16,
    /// K = 16). A cluster that mixes AVX2 and AVX-512 nodes should set GMM_KERNEL=vector256 on every node: then
    /// every node computes the same bits, and a group that moves to another node after a fault gives the same model.
    /// An unknown <see cref="Variable"/> value throws its own message on every use, not a TypeInitializationException.
    /// </summary>
    public static KernelPath Best => Chosen.Value;

    private static readonly Lazy<KernelPath> Chosen = new(() => Choose(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>True when this process can run <paramref name="path"/>: it is no wider than <see cref="Best"/>.</summary>
    public static bool Supports(KernelPath path) => path <= Best;

    /// <summary>The path's name as options and model files spell it: scalar, vector256, vector512.</summary>
    public static string Name(KernelPath path) => path.ToString().ToLowerInvariant();

    /// <summary>Parses a <c>--kernel</c> value: a path's name, or <c>auto</c> (null: the coordinator decides).</summary>
    public static bool TryParse(string? text, out KernelPath? path)
    {
        path = null;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "auto": return true;
            case "scalar": path = KernelPath.Scalar; return true;
            case "vector256": path = KernelPath.Vector256; return true;
            case "vector512": path = KernelPath.Vector512; return true;
            default: return false;
        }
    }

    internal static KernelPath Choose(string? requested) => requested?.Trim().ToLowerInvariant() switch
    {
        "scalar" => KernelPath.Scalar,
        "vector256" => Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar,
        "vector512" or null or "" => Vector512.IsHardwareAccelerated ? KernelPath.Vector512
            : Vector256.IsHardwareAccelerated ? KernelPath.Vector256 : KernelPath.Scalar,
        _ => throw new InvalidOperationException($"{Variable}={requested}: expected scalar, vector256 or vector512"),
    };

    /// <summary>Lanes of the widest path: the workspaces are sized for it.</summary>
    public const int MaxWidth = 8;
}

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
    /// <c>target + j·targetStride</c>): the row-major block into the kernels' transposed layout, in registers.
    /// </summary>
    static abstract void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride);
}

/// <summary>
/// e^x on the vector paths for x ≤ 0: k = round(x/ln 2), r = x − k·ln 2 (in two parts, |r| ≤ ½ln 2), e^r by its
/// Taylor polynomial of degree 12 (truncation below 2e-16 relative; Estrin's scheme for the tail, Horner for the
/// leading terms), times 2^k. Arguments below <see cref="ScalarLanes.ExpFloor"/> give exactly 0; NaN stays NaN.
/// About 22 vector operations, no branches.
/// </summary>
internal static class VectorExp<TOps, TV>
    where TOps : struct, ILanes<TV>
    where TV : struct
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2High = 0.693147180369123816490;   // 32 significant bits: k·Ln2High is exact
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double RoundingShift = 6755399441055744.0;   // 1.5·2^52

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp(TV x)
    {
        // Adding 1.5·2^52 rounds x·log2(e) to an integer (ties to even) in the one rounding of the multiply-add.
        var k = TOps.Subtract(TOps.MultiplyAdd(x, TOps.Splat(Log2E), TOps.Splat(RoundingShift)), TOps.Splat(RoundingShift));
        var r = TOps.MultiplyAdd(k, TOps.Splat(-Ln2High), x);
        r = TOps.MultiplyAdd(k, TOps.Splat(-Ln2Low), r);
        // The tail Σ_{j=4..12} r^(j−4)/j! by Estrin's scheme (a shallow tree, so more exponentials overlap in the
        // pipes), then the four leading terms by Horner, where the rounding that matters happens.
        var r2 = TOps.Multiply(r, r);
        var r4 = TOps.Multiply(r2, r2);
        var q0 = TOps.MultiplyAdd(TOps.Splat(1.0 / 120), r, TOps.Splat(1.0 / 24));
        var q1 = TOps.MultiplyAdd(TOps.Splat(1.0 / 5040), r, TOps.Splat(1.0 / 720));
        var q2 = TOps.MultiplyAdd(TOps.Splat(1.0 / 362880), r, TOps.Splat(1.0 / 40320));
        var q3 = TOps.MultiplyAdd(TOps.Splat(1.0 / 39916800), r, TOps.Splat(1.0 / 3628800));
        var low = TOps.MultiplyAdd(q1, r2, q0);
        var high = TOps.MultiplyAdd(TOps.Splat(1.0 / 479001600), r4, TOps.MultiplyAdd(q3, r2, q2));
        var p = TOps.MultiplyAdd(high, r4, low);
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 6));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(0.5));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1));
        return TOps.ScaleByPowerOfTwo(p, k);
    }
}

internal readonly struct ScalarLanes : ILanes<double>
{
    public static int Width => 1;
    public static double Zero => 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Splat(double value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Load(ref double source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double value, ref double destination) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Add(double a, double b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Subtract(double a, double b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Multiply(double a, double b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Divide(double a, double b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Max(double a, double b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double MultiplyAdd(double a, double b, double c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Exp(double x) => x < ExpFloor ? 0 : Math.Exp(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Log(double x) => Math.Log(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ScaleByPowerOfTwo(double p, double k) => Math.ScaleB(p, (int)k);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride) => target = source;

    /// <summary>Below this e^x is subnormal: every path returns 0 there, and the vector exp stays on its fast path.</summary>
    public const double ExpFloor = -708;
}

internal readonly struct Lanes256 : ILanes<Vector256<double>>
{
    public static int Width => Vector256<double>.Count;
    public static Vector256<double> Zero => Vector256<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Splat(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(ref double source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<double> value, ref double destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Max(Vector256<double> a, Vector256<double> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var floor = Vector256.Create(ScalarLanes.ExpFloor);
        return Vector256.AndNot(VectorExp<Lanes256, Vector256<double>>.Exp(Vector256.Max(x, floor)), Vector256.LessThan(x, floor));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Log(Vector256<double> x) => Vector256.Log(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ScaleByPowerOfTwo(Vector256<double> p, Vector256<double> k) =>
        p * Vector256.ShiftLeft(Vector256.ConvertToInt64(k) + Vector256.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride)
    {
        if (!Avx.IsSupported)
        {
            ScalarTranspose.Tile(ref source, sourceStride, ref target, targetStride, Width);
            return;
        }
        var r0 = Load(ref source);
        var r1 = Load(ref Unsafe.Add(ref source, sourceStride));
        var r2 = Load(ref Unsafe.Add(ref source, 2 * sourceStride));
        var r3 = Load(ref Unsafe.Add(ref source, 3 * sourceStride));
        var t0 = Avx.UnpackLow(r0, r1);   // a0 b0 a2 b2
        var t1 = Avx.UnpackHigh(r0, r1);  // a1 b1 a3 b3
        var t2 = Avx.UnpackLow(r2, r3);   // c0 d0 c2 d2
        var t3 = Avx.UnpackHigh(r2, r3);  // c1 d1 c3 d3
        Store(Avx.Permute2x128(t0, t2, 0x20), ref target);
        Store(Avx.Permute2x128(t1, t3, 0x20), ref Unsafe.Add(ref target, targetStride));
        Store(Avx.Permute2x128(t0, t2, 0x31), ref Unsafe.Add(ref target, 2 * targetStride));
        Store(Avx.Permute2x128(t1, t3, 0x31), ref Unsafe.Add(ref target, 3 * targetStride));
    }
}

internal readonly struct Lanes512 : ILanes<Vector512<double>>
{
    public static int Width => Vector512<double>.Count;
    public static Vector512<double> Zero => Vector512<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Splat(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(ref double source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> value, ref double destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Max(Vector512<double> a, Vector512<double> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        var floor = Vector512.Create(ScalarLanes.ExpFloor);
        return Vector512.AndNot(VectorExp<Lanes512, Vector512<double>>.Exp(Vector512.Max(x, floor)), Vector512.LessThan(x, floor));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Log(Vector512<double> x) => Vector512.Log(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ScaleByPowerOfTwo(Vector512<double> p, Vector512<double> k) =>
        Avx512F.IsSupported ? Avx512F.Scale(p, k)   // one vscalefpd: the same single rounding of p·2^k
            : p * Vector512.ShiftLeft(Vector512.ConvertToInt64(k) + Vector512.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride)
    {
        if (!Avx512F.IsSupported)
        {
            ScalarTranspose.Tile(ref source, sourceStride, ref target, targetStride, Width);
            return;
        }
        // Rows a..h: pairs within 128-bit lanes, then 128-bit lanes into halves, then halves into columns.
        var a = Load(ref source);
        var b = Load(ref Unsafe.Add(ref source, sourceStride));
        var c = Load(ref Unsafe.Add(ref source, 2 * sourceStride));
        var d = Load(ref Unsafe.Add(ref source, 3 * sourceStride));
        var e = Load(ref Unsafe.Add(ref source, 4 * sourceStride));
        var f = Load(ref Unsafe.Add(ref source, 5 * sourceStride));
        var g = Load(ref Unsafe.Add(ref source, 6 * sourceStride));
        var h = Load(ref Unsafe.Add(ref source, 7 * sourceStride));
        var ab0 = Avx512F.UnpackLow(a, b);    // a0 b0 a2 b2 a4 b4 a6 b6
        var ab1 = Avx512F.UnpackHigh(a, b);   // a1 b1 a3 b3 a5 b5 a7 b7
        var cd0 = Avx512F.UnpackLow(c, d);
        var cd1 = Avx512F.UnpackHigh(c, d);
        var ef0 = Avx512F.UnpackLow(e, f);
        var ef1 = Avx512F.UnpackHigh(e, f);
        var gh0 = Avx512F.UnpackLow(g, h);
        var gh1 = Avx512F.UnpackHigh(g, h);
        var even = Vector512.Create(0L, 1, 8, 9, 4, 5, 12, 13);
        var odd = Vector512.Create(2L, 3, 10, 11, 6, 7, 14, 15);
        var q0 = Avx512F.PermuteVar8x64x2(ab0, even, cd0);  // a0 b0 c0 d0 a4 b4 c4 d4
        var q2 = Avx512F.PermuteVar8x64x2(ab0, odd, cd0);   // a2 b2 c2 d2 a6 b6 c6 d6
        var q1 = Avx512F.PermuteVar8x64x2(ab1, even, cd1);
        var q3 = Avx512F.PermuteVar8x64x2(ab1, odd, cd1);
        var p0 = Avx512F.PermuteVar8x64x2(ef0, even, gh0);  // e0 f0 g0 h0 e4 f4 g4 h4
        var p2 = Avx512F.PermuteVar8x64x2(ef0, odd, gh0);
        var p1 = Avx512F.PermuteVar8x64x2(ef1, even, gh1);
        var p3 = Avx512F.PermuteVar8x64x2(ef1, odd, gh1);
        var low = Vector512.Create(0L, 1, 2, 3, 8, 9, 10, 11);
        var high = Vector512.Create(4L, 5, 6, 7, 12, 13, 14, 15);
        Store(Avx512F.PermuteVar8x64x2(q0, low, p0), ref target);
        Store(Avx512F.PermuteVar8x64x2(q1, low, p1), ref Unsafe.Add(ref target, targetStride));
        Store(Avx512F.PermuteVar8x64x2(q2, low, p2), ref Unsafe.Add(ref target, 2 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q3, low, p3), ref Unsafe.Add(ref target, 3 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q0, high, p0), ref Unsafe.Add(ref target, 4 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q1, high, p1), ref Unsafe.Add(ref target, 5 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q2, high, p2), ref Unsafe.Add(ref target, 6 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q3, high, p3), ref Unsafe.Add(ref target, 7 * targetStride));
    }
}

/// <summary>The transpose of a tile one value at a time, where the vector shuffles are not available.</summary>
internal static class ScalarTranspose
{
    public static void Tile(ref double source, int sourceStride, ref double target, int targetStride, int width)
    {
        for (var i = 0; i < width; i++)
        for (var j = 0; j < width; j++)
            Unsafe.Add(ref target, j * targetStride + i) = Unsafe.Add(ref source, i * sourceStride + j);
    }
}
