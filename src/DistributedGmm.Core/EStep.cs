namespace DistributedGmm.Core;

/// <summary>
/// The E-step over a shard: responsibilities block by block, accumulated into shifted sufficient statistics.
/// Nothing of size n × K outlives a block. The result depends only on the shard's rows and the model, never on
/// which thread or worker computes it: that is what makes every reduction order-exact.
/// </summary>
public static class EStep
{
    /// <summary>Rows a block: the block's K log-densities per row stay in the L1/L2 caches.</summary>
    public const int BlockRows = 128;

    [ThreadStatic] private static Workspace? _workspace;

    /// <summary>The statistics of one shard under <paramref name="model"/>, shifted by the model's means.</summary>
    public static SufficientStatistics Compute(PreparedMixture model, RowBlock shard)
    {
        var stats = new SufficientStatistics(model.CovarianceType, model.Components, model.Dimensions);
        Accumulate(model, shard, stats);
        return stats;
    }

    public static void Accumulate(PreparedMixture model, RowBlock shard, SufficientStatistics stats)
    {
        if (shard.Dimensions != model.Dimensions)
            throw new ArgumentException($"rows have {shard.Dimensions} columns, the model {model.Dimensions}");
        int k = model.Components, d = model.Dimensions;
        var workspace = Workspace.For(k, d);
        var values = shard.Span;
        var means = model.Means.AsSpan();
        var diff = workspace.Diff.AsSpan(0, d);
        double logLikelihood = 0;
        for (var start = 0; start < shard.Rows; start += BlockRows)
        {
            var count = Math.Min(BlockRows, shard.Rows - start);
            var rows = values.Slice(start * d, count * d);
            var resp = workspace.LogDensities.AsSpan(0, count * k);
            ComponentLogDensity.Compute(model, rows, count, resp, workspace.Scratch);
            for (var i = 0; i < count; i++) logLikelihood += ComponentLogDensity.NormalizeRow(resp.Slice(i * k, k));
            for (var i = 0; i < count; i++)
            {
                var x = rows.Slice(i * d, d);
                for (var c = 0; c < k; c++)
                {
                    var mean = means.Slice(c * d, d);
                    for (var a = 0; a < d; a++) diff[a] = x[a] - mean[a];
                    stats.AccumulateRow(c, resp[i * k + c], diff);
                }
            }
        }
        stats.Rows += shard.Rows;
        stats.LogLikelihood += logLikelihood;
    }

    private sealed class Workspace
    {
        public double[] LogDensities = [];
        public double[] Scratch = [];
        public double[] Diff = [];

        public static Workspace For(int components, int dimensions)
        {
            var w = _workspace ??= new Workspace();
            if (w.LogDensities.Length < BlockRows * components) w.LogDensities = new double[BlockRows * components];
            if (w.Scratch.Length < dimensions) w.Scratch = new double[dimensions];
            if (w.Diff.Length < dimensions) w.Diff = new double[dimensions];
            return w;
        }
    }
}
