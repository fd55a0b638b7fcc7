using DistributedGmm.Core;
using Parquet;
using Parquet.Schema;

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
    /// directory holding all inputs (<see cref="Dataset.RelativePaths"/>), so two outputs never share a name, up to
    /// <paramref name="parallelism"/> files at a time. If any file fails, the outputs this call already wrote are
    /// removed. Returns the output paths.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(Dataset dataset, int components, BlockScorer scorer, string outDir, CancellationToken cancellationToken = default,
        int parallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var outputs = OutputsOf(dataset, outDir);
        var written = new bool[outputs.Count];
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            Parallel.For(0, outputs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = failed.Token }, f =>
            {
                try
                {
                    WriteFile(dataset, f, components, scorer, outputs[f], failed.Token);
                    written[f] = true;
                }
                catch
                {
                    failed.Cancel(); // the other files stop at their next shard
                    throw;
                }
            });
            return outputs;
        }
        catch (Exception e)
        {
            for (var f = 0; f < outputs.Count; f++)
            {
                if (written[f]) File.Delete(outputs[f]);
            }
            // The first real failure, not the cancellations it caused in the other files.
            if (e is AggregateException all && all.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) is { } first)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            if (e is AggregateException { InnerExceptions: [var only] }) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(only);
            throw;
        }
    }

    /// <summary>The output path of every input file under <paramref name="outDir"/>, as <see cref="WriteAll"/> writes them.</summary>
    public static IReadOnlyList<string> OutputsOf(Dataset dataset, string outDir) =>
        dataset.RelativePaths.Select(r => Path.GetFullPath(Path.Combine(outDir, r))).ToArray();

    public static async Task WriteFileAsync(Dataset dataset, int fileIndex, int components, BlockScorer scorer, string outputPath, CancellationToken cancellationToken = default,
        Action? shardWritten = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        var full = Path.GetFullPath(outputPath);
        if (dataset.Files.Contains(full, StringComparer.Ordinal))
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
