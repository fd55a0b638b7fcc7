using MathNet.Numerics.LinearAlgebra;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// Dense Cholesky work on small d×d row-major matrices (d is the data's dimension, not its size). The factorisation
/// is MathNet's; the triangular solve for the precision factor is ours (see its remarks).
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Lower factor L with A = L·Lᵀ, reading only A's lower triangle. False when A is not
    /// numerically positive definite (a pivot is not a positive finite number).
    /// </summary>
    public static bool TryDecompose(ReadOnlySpan<double> a, int d, Span<double> lower)
    {
        var symmetric = Matrix<double>.Build.Dense(d, d);
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++)
                symmetric[i, j] = symmetric[j, i] = a[i * d + j];
        Matrix<double> factor;
        try
        {
            factor = symmetric.Cholesky().Factor;
        }
        catch (ArgumentException)
        {
            return false; // MathNet's word for "not positive definite"
        }
        // MathNet refuses a pivot ≤ 0 but lets NaN and infinity through.
        for (var j = 0; j < d; j++)
            if (!double.IsFinite(factor[j, j]) || !(factor[j, j] > 0)) return false;
        lower[..(d * d)].Clear();
        for (var i = 0; i < d; i++)
            for (var j = 0; j <= i; j++)
                lower[i * d + j] = factor[i, j];
        return true;
    }

    /// <summary>
    /// The precision Cholesky factor of scikit-learn: U = (L⁻¹)ᵀ, upper triangular, so that
    /// (x − μ)ᵀ Σ⁻¹ (x − μ) = ‖(x − μ)ᵀ U‖². Writes U row-major into <paramref name="upper"/>.
    /// </summary>
    /// <remarks>
    /// By forward substitution, as scikit-learn's <c>solve_triangular</c>: MathNet's dense inverse is a pivoted LU
    /// and gives other digits, and it has no triangular solve for a dense factor.
    /// </remarks>
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
