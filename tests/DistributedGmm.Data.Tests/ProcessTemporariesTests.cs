using System.Diagnostics;

namespace DistributedGmm.Data.Tests;

/// <summary>
/// <see cref="ProcessTemporaries.Sweep"/> removes the private folders of processes that are gone and keeps those of
/// running ones: by the folder's lock file when it has one (held exclusively while its process runs), else by pid.
/// </summary>
public sealed class ProcessTemporariesTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Folder(int pid, string tag, bool withLock)
    {
        var folder = Directory.CreateDirectory(_root.File($"gmm-temp-{pid}-{tag}")).FullName;
        File.WriteAllText(Path.Combine(folder, "left-behind.parquet"), "partial");
        if (withLock) File.WriteAllText(Path.Combine(folder, ".lock"), "");
        return folder;
    }

    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void A_folder_is_kept_while_its_lock_is_held_and_removed_once_it_is_free_whatever_its_pid_says()
    {
        var live = Environment.ProcessId;
        var held = Folder(DeadPid(), "held", withLock: true); // the lock decides, not the (dead) pid
        var free = Folder(live, "free", withLock: true); // nor the (live) pid
        var unlockedLive = Folder(live, "nolock", withLock: false);
        var unlockedDead = Folder(DeadPid(), "nolock", withLock: false);
        var notOurs = Directory.CreateDirectory(_root.File("gmm-other-1-x")).FullName;
        using (new FileStream(Path.Combine(held, ".lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Equal(2, ProcessTemporaries.Sweep(_root.Path));
            Assert.True(Directory.Exists(held));
            Assert.False(Directory.Exists(free));
            Assert.True(Directory.Exists(unlockedLive));
            Assert.False(Directory.Exists(unlockedDead));
            Assert.True(Directory.Exists(notOurs));
        }
        Assert.Equal(1, ProcessTemporaries.Sweep(_root.Path)); // its process let go of the lock
        Assert.False(Directory.Exists(held));
    }

    [Fact]
    public void This_process_s_own_folder_survives_a_sweep_of_its_tmpdir()
    {
        var file = ProcessTemporaries.NewFile(".parquet");
        File.WriteAllText(file, "in use");
        ProcessTemporaries.Sweep(Path.GetDirectoryName(Path.GetDirectoryName(file)));
        Assert.True(File.Exists(file));
    }
}
