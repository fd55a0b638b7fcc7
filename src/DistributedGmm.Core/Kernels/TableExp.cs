using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistributedGmm.Core.Kernels;

/// <summary>
/// e^x on AVX-512 for −708 ≤ x ≤ 0 with a 16-entry table held in two registers: n = round(16x/ln 2),
/// r = x − n·ln 2/16 (in two parts, |r| ≤ ln 2/32), e^x = 2^⌊n/16⌋ · 2^((n mod 16)/16) · e^r. The table entry is one
/// <c>vpermt2pd</c> on n's low four bits, e^r − 1 a degree-7 Taylor polynomial (truncation below 2e-18), and
/// T·(1 + q) one multiply-add, so the result carries about one rounding more than its final one. About a third fewer
/// multiply-adds than <see cref="VectorExp{TOps,TV}"/>'s degree-12 polynomial, which the other paths keep.
/// </summary>
internal static class TableExp
{
    private const double SixteenOverLn2 = 23.083120654223414;
    private const double Ln2HighOver16 = 0.693147180369123816490 / 16;   // 32 significant bits: n·this is exact
    private const double Ln2LowOver16 = 1.90821492927058770002e-10 / 16;
    private const double RoundingShift = 6755399441055744.0;            // 1.5·2^52

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        // Adding 1.5·2^52 rounds 16x/ln 2 to the integer n in the low bits of t, whose low four bits are n mod 16
        // (two's complement), the only index bits vpermt2pd reads.
        var shift = Vector512.Create(RoundingShift);
        var t = Vector512.FusedMultiplyAdd(x, Vector512.Create(SixteenOverLn2), shift);
        var n = t - shift;
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2HighOver16), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2LowOver16), r);
        // Estrin's scheme: three multiply-adds deep rather than Horner's five, for the same count, so that more of the
        // normalisation's exponentials overlap.
        var r2 = r * r;
        var low = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 6), r, Vector512.Create(0.5));
        var middle = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 120), r, Vector512.Create(1.0 / 24));
        var high = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 5040), r, Vector512.Create(1.0 / 720));
        var p = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(high, r2, middle), r2, low);
        var q = Vector512.FusedMultiplyAdd(p, r2, r);
        // 2^(j/16), j = 0..15, each the double nearest to it (written out: constants, not fields, in the hot loop).
        var lowTable = Vector512.Create(1.0, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916, 1.189207115002721, 1.241857812073484, 1.2968395546510096, 1.3542555469368927);
        var highTable = Vector512.Create(1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543, 1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474);
        var table = Avx512F.PermuteVar8x64x2(lowTable, t.AsInt64(), highTable);
        // T·2^⌊n/16⌋ by adding ⌊n/16⌋ to T's exponent field: t's low sixteen bits are n (|n| < 2^15, two's
        // complement), so shifting them to the top and keeping bits 52 and up leaves ⌊n/16⌋ there. For −708 ≤ x ≤ 0
        // both T·2^⌊n/16⌋ and the result are normal (at ⌊n/16⌋ = −1022, n mod 16 ≥ 9), so the scaling is exact and
        // the result carries the multiply-add's one rounding, as scaling after it would; integer operations leave the
        // multiply-add pipes to the polynomial.
        var power = Vector512.ShiftLeft(t.AsInt64(), 48) & Vector512.Create(unchecked((long)0xFFF0_0000_0000_0000));
        var scaled = (table.AsInt64() + power).AsDouble();
        return Vector512.FusedMultiplyAdd(scaled, q, scaled);
    }
}
