namespace DistributedGmm.Core;

/// <summary>Per-row scores of a fitted mixture: log-likelihood, responsibilities (predict_proba) and labels (predict).</summary>
public sealed class MixtureScorer(PreparedMixture model)
{
    public MixtureScorer(GaussianMixture mixture) : this(PreparedMixture.Prepare(mixture)) { }

    public PreparedMixture Model { get; } = model;

    /// <summary>
    /// Scores the block's rows. Any output may be empty to skip it; <paramref name="probabilities"/> is rows × K
    /// row-major. Returns the block's total log-likelihood.
    /// </summary>
    public double Score(RowBlock block, Span<double> logLikelihood, Span<double> probabilities, Span<int> labels)
    {
        int k = Model.Components, d = Model.Dimensions;
        if (block.Dimensions != d) throw new ArgumentException($"rows have {block.Dimensions} columns, the model {d}");
        var buffer = new double[Math.Min(EStep.BlockRows, Math.Max(block.Rows, 1)) * k];
        var scratch = new double[d];
        double total = 0;
        for (var start = 0; start < block.Rows; start += EStep.BlockRows)
        {
            var count = Math.Min(EStep.BlockRows, block.Rows - start);
            var resp = buffer.AsSpan(0, count * k);
            ComponentLogDensity.Compute(Model, block.Span.Slice(start * d, count * d), count, resp, scratch);
            for (var i = 0; i < count; i++)
            {
                var row = resp.Slice(i * k, k);
                var ll = ComponentLogDensity.NormalizeRow(row);
                total += ll;
                var r = start + i;
                if (!logLikelihood.IsEmpty) logLikelihood[r] = ll;
                if (!probabilities.IsEmpty) row.CopyTo(probabilities.Slice(r * k, k));
                if (!labels.IsEmpty)
                {
                    var best = 0;
                    for (var c = 1; c < k; c++) if (row[c] > row[best]) best = c;
                    labels[r] = best;
                }
            }
        }
        return total;
    }
}
