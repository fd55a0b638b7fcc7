using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DistributedGmm.Core;

/// <summary>
/// The instruction set the E-step kernels run on. Chosen once per process, never from the thread count, so a
/// shard's statistics are the same bits on every machine that runs the same path: the lane count decides how
/// each shard's sums are split, and the vector paths fuse multiply-adds and use the vector exp.
/// </summary>
internal enum KernelPath
{
    /// <summary>One lane, plain multiply then add, <see cref="Math.Exp"/>: the portable fallback.</summary>
    Scalar,
    /// <summary>4 lanes (AVX2 + FMA, or any 256-bit accelerated vectors).</summary>
    Vector256,
    /// <summary>8 lanes (AVX-512F).</summary>
    Vector512,
}

internal static class KernelPaths
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

    /// <summary>Round to the nearest integer (ties to even).</summary>
    static abstract TV Round(TV x);

    /// <summary>p·2^k for integral k in [−1022, 1023].</summary>
    static abstract TV ScaleByPowerOfTwo(TV p, TV k);
}

/// <summary>
/// e^x on the vector paths for x ≤ 0: k = round(x/ln 2), r = x − k·ln 2 (in two parts, |r| ≤ ½ln 2), e^r by its
/// Taylor polynomial of degree 12 (truncation below 2e-16 relative), times 2^k. Arguments below
/// <see cref="ScalarLanes.ExpFloor"/> give exactly 0; NaN stays NaN. About 18 vector operations, no branches.
/// </summary>
internal static class VectorExp<TOps, TV>
    where TOps : struct, ILanes<TV>
    where TV : struct
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2High = 0.693147180369123816490;   // 32 significant bits: k·Ln2High is exact
    private const double Ln2Low = 1.90821492927058770002e-10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp(TV x)
    {
        var k = TOps.Round(TOps.Multiply(x, TOps.Splat(Log2E)));
        var r = TOps.MultiplyAdd(k, TOps.Splat(-Ln2High), x);
        r = TOps.MultiplyAdd(k, TOps.Splat(-Ln2Low), r);
        var p = TOps.Splat(1.0 / 479001600);
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 39916800));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 3628800));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 362880));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 40320));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 5040));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 720));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 120));
        p = TOps.MultiplyAdd(p, r, TOps.Splat(1.0 / 24));
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Round(double x) => Math.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double ScaleByPowerOfTwo(double p, double k) => Math.ScaleB(p, (int)k);

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
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Round(Vector256<double> x) => Vector256.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> ScaleByPowerOfTwo(Vector256<double> p, Vector256<double> k) =>
        p * Vector256.ShiftLeft(Vector256.ConvertToInt64(k) + Vector256.Create(1023L), 52).AsDouble();
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Round(Vector512<double> x) => Vector512.Round(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ScaleByPowerOfTwo(Vector512<double> p, Vector512<double> k) =>
        p * Vector512.ShiftLeft(Vector512.ConvertToInt64(k) + Vector512.Create(1023L), 52).AsDouble();
}
