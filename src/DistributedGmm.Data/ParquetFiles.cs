using DistributedGmm.Core.Persistence;
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
