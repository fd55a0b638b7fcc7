using DistributedGmm.Core.Persistence;
using Parquet.Schema;
using Parquet;

namespace DistributedGmm.Data;

/// <summary>
/// Writes, for an input file, an output file with the same rows in the same order: the selected input columns
/// (as DOUBLE), <c>prediction</c> (INT32), <c>prob_0 … prob_{K−1}</c> and <c>log_likelihood</c> (DOUBLE).
/// One output row group per shard. Under <see cref="InvalidValuePolicy.Skip"/> the columns are nullable and a
/// skipped row keeps its place with null predictions (its input values are written as read, null for null),
/// so output rows still line up with input rows; under <see cref="InvalidValuePolicy.Error"/> every row is
/// scored and the columns are required. Files are written atomically: a failure leaves no output behind.
/// </summary>
public static class PredictionWriter
{
    public const string PredictionColumn = "prediction";
    public const string LogLikelihoodColumn = "log_likelihood";

    public static string ProbabilityColumn(int component) => $"prob_{component}";

    /// <summary>Writes the predictions of one input file; <paramref name="shardWritten"/> hears of each shard as its row group is written.</summary>
    public static void WriteFile(Dataset dataset, int fileIndex, int components, BlockScorer scorer, string outputPath, CancellationToken cancellationToken = default,
        Action? shardWritten = null) =>
        WriteFileAsync(dataset, fileIndex, components, scorer, outputPath, cancellationToken, shardWritten).GetAwaiter().GetResult();

    /// <summary>
    /// Writes one output per input file under <paramref name="outDir"/>, at the input's path relative to the deepest
    /// directory holding all inputs (<see cref="Dataset.RelativePaths"/>), so two outputs never share a name.
    /// If any file fails, the outputs this call already wrote are removed. Returns the output paths.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(Dataset dataset, int components, BlockScorer scorer, string outDir, CancellationToken cancellationToken = default)
    {
        var outputs = dataset.RelativePaths.Select(r => Path.GetFullPath(Path.Combine(outDir, r))).ToArray();
        var written = new List<string>();
        try
        {
            for (var f = 0; f < outputs.Length; f++)
            {
                WriteFile(dataset, f, components, scorer, outputs[f], cancellationToken);
                written.Add(outputs[f]);
            }
            return outputs;
        }
        catch
        {
            foreach (var path in written) File.Delete(path);
            throw;
        }
    }

    public static async Task WriteFileAsync(Dataset dataset, int fileIndex, int components, BlockScorer scorer, string outputPath, CancellationToken cancellationToken = default,
        Action? shardWritten = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        var full = Path.GetFullPath(outputPath);
        if (dataset.Files.Any(input => input == full || FileNode.SameFile(input, full)))
            throw new DataException($"{outputPath}: is an input file; write predictions elsewhere");
        var layout = new PredictionLayout(dataset.Columns, components, nullable: dataset.Options.OnInvalid == InvalidValuePolicy.Skip);
        await AtomicFile.WriteAsync(full, async (stream, ct) =>
        {
            await using var writer = await ParquetWriter.CreateAsync(layout.Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: ct).ConfigureAwait(false);
            await using var reader = new ShardReader(dataset);
            var scratch = new PredictionBuffers(components);
            foreach (var shard in dataset.ShardsOf(fileIndex))
            {
                ct.ThrowIfCancellationRequested();
                var (data, source) = await reader.ReadWithColumnsAsync(shard, scratch.Rows(shard.Rows * dataset.Dimensions), ct).ConfigureAwait(false);
                var n = data.Block.Rows;
                scorer(data.Block, scratch.LogLikelihood(n), scratch.Probabilities(n * components), scratch.Labels(n));
                using var group = writer.CreateRowGroup();
                await layout.WriteAsync(group, shard, data, source, scratch, ct).ConfigureAwait(false);
                shardWritten?.Invoke();
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
