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
    /// <summary>Writes rows × K weighted log densities (row-major) into <paramref name="output"/>.</summary>
    /// <remarks><paramref name="scratch"/> is no longer needed: the block kernels keep thread-local buffers.</remarks>
    public static void Compute(PreparedMixture model, ReadOnlySpan<double> rows, int rowCount, Span<double> output, Span<double> scratch) =>
        Compute(model, rows, rowCount, output, KernelPaths.Best);

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

    /// <summary>In place: turns each row of weighted log densities into responsibilities; returns log Σ_k exp(row).</summary>
    public static double NormalizeRow(Span<double> logDensities)
    {
        var max = double.NegativeInfinity;
        foreach (var v in logDensities) if (v > max) max = v;
        double sum = 0;
        for (var c = 0; c < logDensities.Length; c++)
        {
            var e = Math.Exp(logDensities[c] - max);
            logDensities[c] = e;
            sum += e;
        }
        var inverse = 1 / sum;
        for (var c = 0; c < logDensities.Length; c++) logDensities[c] *= inverse;
        return max + Math.Log(sum);
    }
}
