namespace DistributedGmm.Core.Estimation;

/// <summary>Dense Cholesky work on small d×d row-major matrices (d is the data's dimension, not its size).</summary>
internal static class Cholesky
{
    /// <summary>
    /// Lower factor L with A = L·Lᵀ, reading only A's lower triangle. False when A is not
    /// numerically positive definite (a pivot is not a positive finite number).
    /// </summary>
    public static bool TryDecompose(ReadOnlySpan<double> a, int d, Span<double> lower)
    {
        lower[..(d * d)].Clear();
        for (var j = 0; j < d; j++)
        {
            var sum = a[j * d + j];
            for (var p = 0; p < j; p++) sum -= lower[j * d + p] * lower[j * d + p];
            if (!(sum > 0) || double.IsInfinity(sum)) return false;
            var pivot = Math.Sqrt(sum);
            lower[j * d + j] = pivot;
            for (var i = j + 1; i < d; i++)
            {
                var s = a[i * d + j];
                for (var p = 0; p < j; p++) s -= lower[i * d + p] * lower[j * d + p];
                lower[i * d + j] = s / pivot;
            }
        }
        return true;
    }

    /// <summary>
    /// The precision Cholesky factor of scikit-learn: U = (L⁻¹)ᵀ, upper triangular, so that
    /// (x − μ)ᵀ Σ⁻¹ (x − μ) = ‖(x − μ)ᵀ U‖². Writes U row-major into <paramref name="upper"/>.
    /// </summary>
    public static void PrecisionFactorFromLower(ReadOnlySpan<double> lower, int d, Span<double> upper)
    {
        upper[..(d * d)].Clear();
        // Column j of L⁻¹ solves L·x = e_j; it is row j of U = (L⁻¹)ᵀ.
        for (var j = 0; j < d; j++)
        {
            for (var i = j; i < d; i++)
            {
                var s = i == j ? 1.0 : 0.0;
                for (var p = j; p < i; p++) s -= lower[i * d + p] * upper[j * d + p];
                upper[j * d + i] = s / lower[i * d + i];
            }
        }
    }
}
