using DistributedGmm.Core.Persistence;
using DistributedGmm.Data.ObjectStorage;
using Parquet;

namespace DistributedGmm.Data;

/// <summary>Opens Parquet files and turns whatever Parquet.Net or the file system throws into a <see cref="DataException"/> naming the file.</summary>
internal static class ParquetFiles
{
    /// <summary>
    /// Opens with a synchronous FileStream: the readers are called from worker threads that block anyway, and
    /// synchronous reads of local files complete without a thread-pool hop.
    /// </summary>
    public static async Task<ParquetReader> OpenAsync(string path, CancellationToken cancellationToken)
    {
        // Opening a FIFO for reading waits for a writer: refuse it (and devices) without opening.
        var kind = FileNode.Of(path).Kind;
        if (kind is not (FileKind.Regular or FileKind.Missing or FileKind.Directory)) throw new DataException(InputPaths.NotAnInput(path, kind));
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot open ({e.Message})", e);
        }
        try
        {
            return await ParquetReader.CreateAsync(stream, leaveStreamOpen: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new DataException($"{path}: not a valid Parquet file ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>Opens an object through its range stream; the reader owns (and disposes) the stream.</summary>
    public static async Task<ParquetReader> OpenAsync(ObjectRangeStream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, leaveStreamOpen: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DataException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new DataException($"{stream.Object.Uri}: not a valid Parquet file ({OneLine(e.Message)})", e);
        }
    }

    /// <summary>Opens file <paramref name="fileIndex"/> of the dataset, from disk or by range from object storage.</summary>
    public static async Task<(ParquetReader Reader, ObjectRangeStream? Ranges)> OpenAsync(Dataset dataset, int fileIndex, CancellationToken cancellationToken)
    {
        if (dataset.ObjectAt(fileIndex) is not { } obj) return (await OpenAsync(dataset.Files[fileIndex], cancellationToken).ConfigureAwait(false), null);
        var ranges = await ObjectRangeStream.OpenAsync(dataset.Store!, obj, cancellationToken).ConfigureAwait(false);
        return (await OpenAsync(ranges, cancellationToken).ConfigureAwait(false), ranges);
    }

    /// <summary>Runs a read of one row group (one column of it, when <paramref name="column"/> is given), naming the file, row group and column if the data inside cannot be decoded.</summary>
    public static async Task<T> DecodingAsync<T>(string path, int rowGroup, Func<Task<T>> read, string? column = null)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not DataException and not OperationCanceledException)
        {
            var where = column is null ? $"row group {rowGroup}" : $"row group {rowGroup}, column \"{column}\"";
            throw new DataException($"{path}: {where}: cannot decode ({OneLine(e.Message)}); the file may be truncated or corrupt", e);
        }
    }

    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
