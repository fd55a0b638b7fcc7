namespace DistributedGmm.Core;

/// <summary>
/// log(w_k) + log N(x_i | μ_k, Σ_k) for a run of rows and every component, in log space through the precision
/// Cholesky factor: −½(d·log 2π + ‖(x − μ_k)ᵀ U_k‖²) + log det U_k + log w_k. Raw densities underflow in
/// high dimension; these never do.
/// </summary>
public static class ComponentLogDensity
{
    /// <summary>Writes rows × K weighted log densities (row-major) into <paramref name="output"/>.</summary>
    public static void Compute(PreparedMixture model, ReadOnlySpan<double> rows, int rowCount, Span<double> output, Span<double> scratch)
    {
        int k = model.Components, d = model.Dimensions;
        var constant = -0.5 * d * PreparedMixture.Log2Pi;
        var means = model.Means.AsSpan();
        var factors = model.PrecisionFactors.AsSpan();
        var y = scratch[..d];
        for (var i = 0; i < rowCount; i++)
        {
            var x = rows.Slice(i * d, d);
            var outRow = output.Slice(i * k, k);
            for (var c = 0; c < k; c++)
            {
                var mean = means.Slice(c * d, d);
                double distance;
                switch (model.CovarianceType)
                {
                    case CovarianceType.Full:
                        distance = Mahalanobis(x, mean, factors.Slice(c * d * d, d * d), y);
                        break;
                    case CovarianceType.Tied:
                        distance = Mahalanobis(x, mean, factors, y);
                        break;
                    case CovarianceType.Diag:
                    {
                        var u = factors.Slice(c * d, d);
                        distance = 0;
                        for (var a = 0; a < d; a++)
                        {
                            var z = (x[a] - mean[a]) * u[a];
                            distance += z * z;
                        }
                        break;
                    }
                    default:
                    {
                        var u = factors[c];
                        distance = 0;
                        for (var a = 0; a < d; a++)
                        {
                            var z = (x[a] - mean[a]) * u;
                            distance += z * z;
                        }
                        break;
                    }
                }
                outRow[c] = constant - 0.5 * distance + model.LogDetPrecisionFactors[c] + model.LogWeights[c];
            }
        }
    }

    /// <summary>‖(x − μ)ᵀ U‖² for an upper-triangular U (row-major d × d).</summary>
    private static double Mahalanobis(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> upper, Span<double> y)
    {
        var d = x.Length;
        y.Clear();
        for (var a = 0; a < d; a++)
        {
            var diff = x[a] - mean[a];
            var row = upper.Slice(a * d, d);
            for (var b = a; b < d; b++) y[b] += diff * row[b];
        }
        double sum = 0;
        for (var b = 0; b < d; b++) sum += y[b] * y[b];
        return sum;
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
