namespace DistributedGmm.Cli.Tests;

/// <summary>Synthetic data generated once for a test class: 20,000 rows, 2 columns, 3 components, 2 files of 4 row groups.</summary>
public sealed class GeneratedData : IDisposable
{
    public const int Rows = 20_000;

    public GeneratedData()
    {
        var result = Gmm.Run(Folder.Path, "generate", "--out", "data", "--rows", $"{Rows}", "--dims", "2", "--components", "3",
            "--files", "2", "--row-group-rows", "2500", "--seed", "11");
        if (result.ExitCode != 0) throw new InvalidOperationException($"generate failed: {result}");
    }

    public TempFolder Folder { get; } = new();

    public string Directory => Folder["data"];

    public void Dispose() => Folder.Dispose();
}
