using DistributedGmm.Core.Persistence;
using DistributedGmm.Core.Tests.Support;

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

    private string[] AllEntries() => Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void A_null_device_is_written_to_and_stays_a_device()
    {
        var path = Path.Combine(_directory, "null");
        SpecialFiles.MakeCharacterDevice(path, 1, 3);
        AtomicFile.Write(path, s => s.Write(new byte[200_000]));
        Assert.Equal(FileKind.CharacterDevice, FileNode.Of(path).Kind);
        Assert.Equal(["null"], AllEntries());
    }

    [Fact]
    public async Task A_full_device_fails_the_write_naming_the_output_and_stays_a_device()
    {
        var path = Path.Combine(_directory, "full");
        SpecialFiles.MakeCharacterDevice(path, 1, 7);
        var e = Assert.Throws<OutputException>(() => AtomicFile.Write(path, s => s.Write(new byte[10])));
        Assert.Equal($"cannot write {path}: No space left on device; free space on that disk or choose another output", e.Message);
        var async = await Assert.ThrowsAsync<OutputException>(() => AtomicFile.WriteAsync(path, (s, ct) => s.WriteAsync(new byte[200_000], ct).AsTask()));
        Assert.Contains("No space left on device", async.Message);
        Assert.Equal(FileKind.CharacterDevice, FileNode.Of(path).Kind);
        Assert.Equal(["full"], AllEntries());
    }

    [Fact]
    public async Task A_fifo_is_written_to_directly()
    {
        var path = Path.Combine(_directory, "pipe");
        SpecialFiles.MakeFifo(path);
        var reader = Task.Run(() => File.ReadAllText(path));
        AtomicFile.Write(path, s => s.Write("through the pipe"u8));
        Assert.Equal("through the pipe", await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(FileKind.Fifo, FileNode.Of(path).Kind);
    }

    [Fact]
    public void A_block_device_is_refused_before_it_is_opened()
    {
        var path = Path.Combine(_directory, "disk");
        Assert.Equal(0, RunMknod(path, "b", "1", "0"));
        var e = Assert.Throws<OutputException>(() => AtomicFile.Write(path, _ => Assert.Fail("opened a block device")));
        Assert.Contains("block device", e.Message);
        Assert.Equal(FileKind.BlockDevice, FileNode.Of(path).Kind);
    }

    private static int RunMknod(string path, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start("mknod", [path, .. args]);
        p.WaitForExit();
        return p.ExitCode;
    }

    [Fact]
    public void A_parent_that_is_a_file_is_refused_naming_it()
    {
        var file = Path.Combine(_directory, "plain");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<OutputException>(() => AtomicFile.Write(Path.Combine(file, "sub", "m.json"), _ => { }));
        Assert.Contains($"{file} is a regular file, not a folder", e.Message);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("/proc/m.json")]
    [InlineData("/proc/self/m.json")]
    [InlineData("/sys/kernel/m.json")]
    public void Kernel_file_systems_are_refused(string path)
    {
        var e = Assert.Throws<OutputException>(() => AtomicFile.Write(path, _ => { }));
        Assert.Contains("kernel file system", e.Message);
    }

    [Fact]
    public void A_symbolic_link_stays_a_link_and_its_file_is_replaced()
    {
        var real = Path.Combine(_directory, "real.txt");
        var link = Path.Combine(_directory, "link.txt");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, real);
        AtomicFile.Write(link, s => s.Write("new"u8));
        Assert.Equal(FileKind.SymbolicLink, FileNode.Of(link, followLinks: false).Kind);
        Assert.Equal("new", File.ReadAllText(real));
        Assert.Equal(["link.txt", "real.txt"], AllEntries());
    }

    [Fact]
    public void File_identity_sees_links_and_tells_files_apart()
    {
        var a = Path.Combine(_directory, "a");
        var b = Path.Combine(_directory, "b");
        File.WriteAllText(a, "same content");
        File.WriteAllText(b, "same content");
        Directory.CreateSymbolicLink(Path.Combine(_directory, "folder-link"), _directory);
        File.CreateSymbolicLink(Path.Combine(_directory, "a-link"), a);
        Assert.True(FileNode.SameFile(a, Path.Combine(_directory, "folder-link", "a")));
        Assert.True(FileNode.SameFile(a, Path.Combine(_directory, "a-link")));
        Assert.True(FileNode.SameFile(a, Path.Combine(_directory, ".", "a")));
        Assert.False(FileNode.SameFile(a, b));
        Assert.False(FileNode.SameFile(a, Path.Combine(_directory, "missing")));
        Assert.Equal(FileKind.Directory, FileNode.Of(_directory).Kind);
    }
}
