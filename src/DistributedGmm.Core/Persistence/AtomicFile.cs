using System.Text.RegularExpressions;

namespace DistributedGmm.Core.Persistence;

/// <summary>
/// Writes a file so that readers see either nothing or the whole file: the content goes to a temporary
/// file beside the target, which is flushed to disk and only then renamed over it. Targets that are not regular
/// files are handled as <see cref="OutputTarget"/> says (a device or FIFO is written directly, never replaced).
/// Every failure of the output itself (cannot create, disk full, rename) is an <see cref="OutputException"/>
/// naming the target; an exception of the writer's own passes through unchanged.
/// </summary>
public static partial class AtomicFile
{
    private const int BufferSize = 1 << 16;

    public static void Write(string path, Action<Stream> write)
    {
        var target = OutputTarget.Resolve(path);
        if (target.Direct)
        {
            using var direct = new OutputStream(Open(target, () => new FileStream(target.WritePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, BufferSize)), target.Path);
            write(direct);
            direct.Flush();
            return;
        }
        var temporary = Prepare(target);
        try
        {
            using (var stream = new OutputStream(Open(target, () => new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize)), target.Path))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Replace(target, temporary);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        var target = OutputTarget.Resolve(path);
        if (target.Direct)
        {
            await using var direct = new OutputStream(Open(target, () => new FileStream(target.WritePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, BufferSize)), target.Path);
            await write(direct, cancellationToken).ConfigureAwait(false);
            await direct.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        var temporary = Prepare(target);
        try
        {
            await using (var stream = new OutputStream(Open(target, () => new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true)), target.Path))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            Replace(target, temporary);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>A hidden name in the target's folder, so the final rename never crosses file systems.</summary>
    public static string TemporaryPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Creates the target's folder and returns the temporary path beside its real path.</summary>
    private static string Prepare(OutputTarget target)
    {
        var directory = Path.GetDirectoryName(target.WritePath)!;
        Guard(target, () => Directory.CreateDirectory(directory));
        return TemporaryPathFor(target.WritePath);
    }

    private static void Replace(OutputTarget target, string temporary)
    {
        // Between Resolve and now the target may have become a device or FIFO: never rename over one.
        var now = FileNode.Of(target.WritePath, followLinks: false).Kind;
        if (now is not (FileKind.Regular or FileKind.Missing))
            throw new OutputException($"cannot write {target.Path}: it became {FileNode.Describe(now)} while gmm was writing it; nothing was replaced");
        Guard(target, () => File.Move(temporary, target.WritePath, overwrite: true));
    }

    private static FileStream Open(OutputTarget target, Func<FileStream> open)
    {
        FileStream? stream = null;
        Guard(target, () => stream = open());
        return stream!;
    }

    private static void Guard(OutputTarget target, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(target.Path, e);
        }
    }

    /// <summary>One line naming the output (not our temporary file) and what to do.</summary>
    internal static OutputException Failure(string path, Exception e)
    {
        var reason = e is UnauthorizedAccessException ? "permission denied" : QuotedPath().Replace(e.Message, "").TrimEnd('.', ' ');
        var advice = reason.Contains("No space left", StringComparison.OrdinalIgnoreCase)
            ? "free space on that disk or choose another output"
            : "choose another output path";
        return new OutputException($"cannot write {path}: {reason}; {advice}", e);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"\s*:?\s*'[^']*'")]
    private static partial Regex QuotedPath();

    /// <summary>The output's stream: a failing write or flush is reported as the output's failure.</summary>
    private sealed class OutputStream(FileStream inner, string path) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => true;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush() => Checked(inner.Flush);

        public void Flush(bool flushToDisk) => Checked(() => inner.Flush(flushToDisk));

        public override Task FlushAsync(CancellationToken cancellationToken) => CheckedAsync(() => inner.FlushAsync(cancellationToken));

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => Checked(() => inner.SetLength(value));

        public override void Write(byte[] buffer, int offset, int count) => Checked(() => inner.Write(buffer, offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch (IOException e)
            {
                throw Failure(path, e);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            CheckedAsync(() => inner.WriteAsync(buffer, offset, count, cancellationToken));

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw Failure(path, e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) Checked(inner.Dispose);
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await CheckedAsync(() => inner.DisposeAsync().AsTask()).ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private void Checked(Action action)
        {
            try
            {
                action();
            }
            catch (IOException e)
            {
                throw Failure(path, e);
            }
        }

        private async Task CheckedAsync(Func<Task> action)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw Failure(path, e);
            }
        }
    }
}
