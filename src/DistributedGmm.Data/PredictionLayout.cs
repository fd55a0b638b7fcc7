using Parquet;
using Parquet.Schema;

namespace DistributedGmm.Data;

/// <summary>The output schema of predictions and how one shard's rows fill it.</summary>
internal sealed class PredictionLayout
{
    private readonly InputColumns _inputs;
    private readonly DataField _prediction;
    private readonly DataField[] _probabilities;
    private readonly DataField _logLikelihood;
    private readonly bool _nullable;

    public PredictionLayout(InputColumns inputs, int components, bool nullable)
    {
        _nullable = nullable;
        _inputs = inputs;
        _prediction = new DataField(PredictionWriter.PredictionColumn, typeof(int), nullable);
        _probabilities = Enumerable.Range(0, components).Select(k => new DataField(PredictionWriter.ProbabilityColumn(k), typeof(double), nullable)).ToArray();
        _logLikelihood = new DataField(PredictionWriter.LogLikelihoodColumn, typeof(double), nullable);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (!names.Add(field.Name))
                throw new DataException($"an input column is named \"{field.Name}\", like an output column: rename it or leave it out");
        }
        Schema = new ParquetSchema(Fields);
    }

    public ParquetSchema Schema { get; }

    private IEnumerable<DataField> Fields => [.. _inputs.Fields, _prediction, _logLikelihood, .. _probabilities];

    public async Task WriteAsync(ParquetReader input, ParquetRowGroupWriter group, Shard shard, ShardData data,
        PredictionBuffers scratch, CancellationToken ct)
    {
        var n = shard.Rows;
        var k = _probabilities.Length;
        var scored = data.Block.Rows;
        await _inputs.WriteAsync(input, group, shard, ct).ConfigureAwait(false);

        if (_nullable)
        {
            var labels = scratch.NullableLabels(n);
            Array.Clear(labels, 0, n);
            for (var i = 0; i < scored; i++) labels[RowOf(data, i)] = scratch.ScoredLabels[i];
            await group.WriteAsync<int>(_prediction, labels.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
        }
        else
        {
            await group.WriteAsync<int>(_prediction, scratch.ScoredLabels.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
        }

        await WriteScoredAsync(group, _logLikelihood, data, scratch, n, i => scratch.ScoredLogLikelihood[i], ct).ConfigureAwait(false);
        for (var c = 0; c < k; c++)
            await WriteScoredAsync(group, _probabilities[c], data, scratch, n, i => scratch.ScoredProbabilities[i * k + c], ct).ConfigureAwait(false);
    }

    /// <summary>Writes one per-row score column, putting scored row i at its place in the shard (nulls between under Skip).</summary>
    private async Task WriteScoredAsync(ParquetRowGroupWriter group, DataField field, ShardData data, PredictionBuffers scratch,
        int n, Func<int, double> valueOfScoredRow, CancellationToken ct)
    {
        var scored = data.Block.Rows;
        if (_nullable)
        {
            var column = scratch.NullableColumn(n);
            Array.Clear(column, 0, n);
            for (var i = 0; i < scored; i++) column[RowOf(data, i)] = valueOfScoredRow(i);
            await group.WriteAsync<double>(field, column.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
        }
        else
        {
            var column = scratch.Column(n);
            for (var i = 0; i < n; i++) column[i] = valueOfScoredRow(i);
            await group.WriteAsync<double>(field, column.AsMemory(0, n), cancellationToken: ct).ConfigureAwait(false);
        }
    }

    private static int RowOf(ShardData data, int scoredRow) => data.KeptRows is { } kept ? kept[scoredRow] : scoredRow;
}
