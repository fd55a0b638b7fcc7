using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistributedGmm.Core.Kernels;

/// <summary>
/// ln x on AVX-512 for x ≥ 0, fdlibm's reduction: x = (1 + f)·2^e with 1 + f in [√½, √2) from <c>vgetmantpd</c> and
/// <c>vgetexppd</c>, s = f/(2 + f), and ln(1 + f) = f − (f²/2 − s·(f²/2 + R)) with R = 2s²/3 + 2s⁴/5 + … + 2s²⁰/21
/// (|s| ≤ 0.172: truncation below 1e-18 relative). f is exact and comes in last, so the error stays within about
/// an ulp; e·ln 2 is added in two parts. The normalisation takes one per row, and
/// <see cref="Vector512.Log(Vector512{double})"/> costs several times as much. 0 gives −∞, +∞ gives +∞, a negative x
/// or NaN gives NaN.
/// </summary>
internal static class MantissaLog
{
    private const double Ln2High = 0.693147180369123816490;   // 32 significant bits: e·Ln2High is exact
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double Sqrt2 = 1.4142135623730951;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x)
    {
        // Control 0: the mantissa in [1, 2) with the source's sign; the exponent is ⌊log2 x⌋, subnormals included.
        var m = Avx512F.GetMantissa(x, 0);
        var e = Avx512F.GetExponent(x);
        var above = Vector512.GreaterThanOrEqual(m, Vector512.Create(Sqrt2));
        m = Vector512.ConditionalSelect(above, m * Vector512.Create(0.5), m);
        e = Vector512.ConditionalSelect(above, e + Vector512<double>.One, e);
        var f = m - Vector512<double>.One;
        var s = f / (Vector512.Create(2.0) + f);
        var z = s * s;
        var r = Vector512.Create(2.0 / 21);
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 19));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 17));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 15));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 13));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 11));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 9));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 7));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 5));
        r = Vector512.FusedMultiplyAdd(r, z, Vector512.Create(2.0 / 3));
        r *= z;
        var halfSquare = Vector512.Create(0.5) * f * f;
        // fdlibm's order: e·ln2_hi − ((f²/2 − (s·(f²/2 + R) + e·ln2_lo)) − f).
        var small = Vector512.FusedMultiplyAdd(s, halfSquare + r, e * Vector512.Create(Ln2Low));
        var result = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2High), -((halfSquare - small) - f));
        // 0: e = −∞ already gives −∞. +∞ and NaN pass through e. A negative x would give a finite value otherwise.
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), Vector512.Create(double.NaN), result);
    }
}
