namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// Data large enough that an EM iteration takes a noticeable time, so a fault lands mid-fit: 300,000 rows × 8
/// columns in 4 files; with --shard-rows 5000, 60 shards in 8 groups.
/// </summary>
public sealed class SlowData : IDisposable
{
    public SlowData()
    {
        var result = Gmm.Run(Folder.Path, "generate", "--out", "data", "--rows", "300000", "--dims", "8", "--components", "8",
            "--files", "4", "--row-group-rows", "25000", "--seed", "5");
        if (result.ExitCode != 0) throw new InvalidOperationException($"generate failed: {result}");
    }

    public TempFolder Folder { get; } = new();
    public string Directory => Folder["data"];
    public void Dispose() => Folder.Dispose();
}
