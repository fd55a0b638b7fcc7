using DistributedGmm.Core.Persistence;
using DistributedGmm.Data.ObjectStorage;
using Parquet;

namespace DistributedGmm.Data;

/// <summary>
/// Writes, for an input file, an output file with the same rows in the same order: the input columns as they are
/// in the file (every one by default, in their Parquet types, nullability and order), then <c>prediction</c>
/// (INT32), <c>log_likelihood</c> and <c>prob_0 … prob_{K−1}</c> (DOUBLE). One output row group per shard. Under
/// <see cref="InvalidValuePolicy.Skip"/> the output columns are nullable and a skipped row keeps its place, its
/// input values as read and null predictions, so output rows still line up (and join) with input rows; under
/// <see cref="InvalidValuePolicy.Error"/> every row is scored and the output columns are required. Files are written atomically: a failure leaves no output behind.
/// </summary>
public static class PredictionWriter
{
    public const string PredictionColumn = "prediction";
    public const string LogLikelihoodColumn = "log_likelihood";

    public static string ProbabilityColumn(int component) => $"prob_{component}";

    /// <summary>Writes the predictions of one input file; <paramref name="shardWritten"/> hears of each shard as its row group is written.</summary>
    public static void WriteFile(Dataset dataset, int fileIndex, int components, BlockScorer scorer, string outputPath, CancellationToken cancellationToken = default,
        Action? shardWritten = null, IReadOnlyList<string>? keepColumns = null) =>
        WriteFileAsync(dataset, fileIndex, components, scorer, outputPath, cancellationToken, shardWritten, keepColumns).GetAwaiter().GetResult();

    /// <summary>
    /// Writes one output per input file under <paramref name="outDir"/>, at the input's path relative to the deepest
    /// directory holding all inputs (<see cref="Dataset.RelativePaths"/>), so two outputs never share a name, up to
    /// <paramref name="parallelism"/> files at a time. If any file fails, the outputs this call already wrote are
    /// removed. Returns the output paths.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(Dataset dataset, int components, BlockScorer scorer, string outDir, CancellationToken cancellationToken = default,
        int parallelism = 1, IReadOnlyList<string>? keepColumns = null)
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
                    WriteFile(dataset, f, components, scorer, outputs[f], failed.Token, keepColumns: keepColumns);
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

    /// <summary>
    /// Writes the predictions of one input file to an s3:// object: into a private local temporary, then uploaded
    /// whole (<see cref="ObjectStore.UploadAsync"/>). A failed upload is an <see cref="ObjectWriteException"/> (the
    /// writer's trouble, not the input's). An upload that ends after <paramref name="cancellationToken"/> was
    /// cancelled (a request once sent is not cut) is removed again, so a cancelled job leaves no object.
    /// </summary>
    public static async Task WriteObjectAsync(Dataset dataset, int fileIndex, int components, BlockScorer scorer, string uri, CancellationToken cancellationToken = default,
        Action? shardWritten = null, IReadOnlyList<string>? keepColumns = null)
    {
        var target = ObjectUri.Parse(uri);
        var temporary = Path.Combine(Path.GetTempPath(), $"gmm-predict-{Guid.NewGuid():N}.parquet");
        try
        {
            await WriteFileAsync(dataset, fileIndex, components, scorer, temporary, cancellationToken, shardWritten, keepColumns).ConfigureAwait(false);
            try
            {
                await ObjectStores.Default.UploadAsync(temporary, target, cancellationToken).ConfigureAwait(false);
            }
            catch (DataException e)
            {
                throw new ObjectWriteException(e.Message, e);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
        if (!cancellationToken.IsCancellationRequested) return;
        await WrittenOutputs.RemoveAsync([uri]).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The output path of every input file under <paramref name="outDir"/>, as <see cref="WriteAll"/> writes them.</summary>
    public static IReadOnlyList<string> OutputsOf(Dataset dataset, string outDir) =>
        dataset.RelativePaths.Select(r => Path.GetFullPath(Path.Combine(outDir, r))).ToArray();

    /// <summary>
    /// Writes the predictions of one input file, with all of its columns (<paramref name="keepColumns"/> null), the
    /// named ones in that order, or none (empty).
    /// </summary>
    public static async Task WriteFileAsync(Dataset dataset, int fileIndex, int components, BlockScorer scorer, string outputPath, CancellationToken cancellationToken = default,
        Action? shardWritten = null, IReadOnlyList<string>? keepColumns = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        var full = Path.GetFullPath(outputPath);
        if (dataset.Files.Any(input => input == full || FileNode.SameFile(input, full)))
            throw new DataException($"{outputPath}: is an input file; write predictions elsewhere");
        var (input, _) = await ParquetFiles.OpenAsync(dataset, fileIndex, cancellationToken).ConfigureAwait(false);
        await using var inputFile = input;
        var layout = new PredictionLayout(InputColumns.Of(input, dataset.Files[fileIndex], keepColumns), components,
            nullable: dataset.Options.OnInvalid == InvalidValuePolicy.Skip);
        await AtomicFile.WriteAsync(full, async (stream, ct) =>
        {
            await using var writer = await ParquetWriter.CreateAsync(layout.Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: ct).ConfigureAwait(false);
            await using var reader = new ShardReader(dataset);
            var scratch = new PredictionBuffers(components);
            foreach (var shard in dataset.ShardsOf(fileIndex))
            {
                ct.ThrowIfCancellationRequested();
                var data = await reader.ReadAsync(shard, scratch.Rows(shard.Rows * dataset.Dimensions), ct).ConfigureAwait(false);
                var n = data.Block.Rows;
                scorer(data.Block, scratch.LogLikelihood(n), scratch.Probabilities(n * components), scratch.Labels(n));
                using var group = writer.CreateRowGroup();
                await layout.WriteAsync(input, group, shard, data, scratch, ct).ConfigureAwait(false);
                shardWritten?.Invoke();
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
