namespace DistributedGmm.Data;

/// <summary>
/// The largest magnitude a value may have to be fitted, scored or predicted. EM squares differences of values
/// (up to twice the bound) and sums them over rows and columns; with |x| ≤ 1e144 a squared difference is at most
/// 4e288, which leaves room for more than 2^61 such terms below double's largest finite value (1.8e308). Beyond
/// it a sum overflows to infinity and the results turn to NaN, so such a value is refused where it is decoded.
/// </summary>
public static class UsableMagnitude
{
    public const double Max = 1e144;

    public static string Text => "1e144";
}
