using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Core.Tests;

/// <summary>Readers see nothing or the whole file; a failed write leaves nothing behind.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gmm-atomic-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string[] Files() => Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void A_failing_writer_leaves_the_old_file_and_no_temporary()
    {
        var path = Path.Combine(_directory, "out.txt");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new IOException("disk full");
        }));
        Assert.Equal(["out.txt"], Files());
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public async Task Async_write_replaces_the_file()
    {
        var path = Path.Combine(_directory, "out.txt");
        File.WriteAllText(path, "old");
        await AtomicFile.WriteAsync(path, (s, ct) => s.WriteAsync("new"u8.ToArray(), ct).AsTask());
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["out.txt"], Files());
    }

    [Fact]
    public async Task A_cancelled_async_write_leaves_nothing()
    {
        var path = Path.Combine(_directory, "out.txt");
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(path, (s, ct) =>
        {
            s.WriteByte(1);
            cancel.Cancel();
            return Task.CompletedTask;
        }, cancel.Token));
        Assert.Empty(Files());
    }

    [Fact]
    public void The_temporary_file_is_hidden_beside_the_target()
    {
        var path = Path.Combine(_directory, "m.json");
        var temporary = AtomicFile.TemporaryPathFor(path);
        Assert.Equal(_directory, Path.GetDirectoryName(temporary));
        Assert.StartsWith(".m.json.", Path.GetFileName(temporary));
        Assert.NotEqual(temporary, AtomicFile.TemporaryPathFor(path));
    }
}
