using System.Runtime.CompilerServices;

namespace DistributedGmm.Core.Kernels;

/// <summary>
/// e^x on the AVX2 path (and on Vector512 without AVX-512 itself; AVX-512 takes <see cref="TableExp"/>) for x ≤ 0:
/// k = round(x/ln 2), r = x − k·ln 2 (in two parts, |r| ≤ ½ln 2), e^r by its
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
