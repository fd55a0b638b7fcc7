using System.Runtime.CompilerServices;

namespace DistributedGmm.Core.Kernels;

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
    public static void TransposeTile(ref double source, int sourceStride, ref double origin, ref double target, int targetStride) => target = source - origin;

    /// <summary>Below this e^x is subnormal: every path returns 0 there, and the vector exp stays on its fast path.</summary>
    public const double ExpFloor = -708;
}
