using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistributedGmm.Core.Kernels;

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
    public static void TransposeTile(ref double source, int sourceStride, ref double origin, ref double target, int targetStride)
    {
        if (!Avx.IsSupported)
        {
            ScalarTranspose.Tile(ref source, sourceStride, ref origin, ref target, targetStride, Width);
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
        Store(Avx.Permute2x128(t0, t2, 0x20) - Splat(origin), ref target);
        Store(Avx.Permute2x128(t1, t3, 0x20) - Splat(Unsafe.Add(ref origin, 1)), ref Unsafe.Add(ref target, targetStride));
        Store(Avx.Permute2x128(t0, t2, 0x31) - Splat(Unsafe.Add(ref origin, 2)), ref Unsafe.Add(ref target, 2 * targetStride));
        Store(Avx.Permute2x128(t1, t3, 0x31) - Splat(Unsafe.Add(ref origin, 3)), ref Unsafe.Add(ref target, 3 * targetStride));
    }
}
