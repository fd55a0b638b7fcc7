using System.Runtime.Intrinsics;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// log(w_k) + log N(x_i | μ_k, Σ_k) for a run of rows and every component, in log space through the precision
/// Cholesky factor: −½(d·log 2π + ‖(x − μ_k)ᵀ U_k‖²) + log det U_k + log w_k. Raw densities underflow in
/// high dimension; these never do.
/// </summary>
public static class ComponentLogDensity
{
    /// <summary>Writes rows × K weighted log densities (row-major) into <paramref name="output"/>, on the given kernel path.</summary>
    internal static void Compute(PreparedMixture model, ReadOnlySpan<double> rows, int rowCount, Span<double> output, KernelPath path)
    {
        if (rows.Length < rowCount * model.Dimensions || output.Length < rowCount * model.Components)
            throw new ArgumentException("the rows or the output are shorter than the row count says");
        switch (path)
        {
            case KernelPath.Vector512: EStepKernels<Lanes512, Vector512<double>>.RowLogDensities(model, rows, rowCount, output); break;
            case KernelPath.Vector256: EStepKernels<Lanes256, Vector256<double>>.RowLogDensities(model, rows, rowCount, output); break;
            default: EStepKernels<ScalarLanes, double>.RowLogDensities(model, rows, rowCount, output); break;
        }
    }
}
