using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistributedGmm.Core.Kernels;

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
        // vmaxpd returns its second operand where either is NaN, so x's NaN stays NaN; IEEE's maximum
        // (Vector512.Max) takes three instructions where this takes one.
        var e = Avx512F.IsSupported
            ? TableExp.Exp(Avx512F.Max(floor, x))
            : VectorExp<Lanes512, Vector512<double>>.Exp(Vector512.Max(x, floor));
        return Vector512.AndNot(e, Vector512.LessThan(x, floor));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x) => Avx512F.IsSupported ? MantissaLog.Log(x) : Vector512.Log(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ScaleByPowerOfTwo(Vector512<double> p, Vector512<double> k) =>
        Avx512F.IsSupported ? Avx512F.Scale(p, k)   // one vscalefpd: the same single rounding of p·2^k
            : p * Vector512.ShiftLeft(Vector512.ConvertToInt64(k) + Vector512.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeTile(ref double source, int sourceStride, ref double origin, ref double target, int targetStride)
    {
        if (!Avx512F.IsSupported)
        {
            ScalarTranspose.Tile(ref source, sourceStride, ref origin, ref target, targetStride, Width);
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
        Store(Avx512F.PermuteVar8x64x2(q0, low, p0) - Splat(origin), ref target);
        Store(Avx512F.PermuteVar8x64x2(q1, low, p1) - Splat(Unsafe.Add(ref origin, 1)), ref Unsafe.Add(ref target, targetStride));
        Store(Avx512F.PermuteVar8x64x2(q2, low, p2) - Splat(Unsafe.Add(ref origin, 2)), ref Unsafe.Add(ref target, 2 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q3, low, p3) - Splat(Unsafe.Add(ref origin, 3)), ref Unsafe.Add(ref target, 3 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q0, high, p0) - Splat(Unsafe.Add(ref origin, 4)), ref Unsafe.Add(ref target, 4 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q1, high, p1) - Splat(Unsafe.Add(ref origin, 5)), ref Unsafe.Add(ref target, 5 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q2, high, p2) - Splat(Unsafe.Add(ref origin, 6)), ref Unsafe.Add(ref target, 6 * targetStride));
        Store(Avx512F.PermuteVar8x64x2(q3, high, p3) - Splat(Unsafe.Add(ref origin, 7)), ref Unsafe.Add(ref target, 7 * targetStride));
    }
}
