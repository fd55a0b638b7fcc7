namespace DistributedGmm.Cli.Tests;

/// <summary>
/// A predict killed mid-write (SIGKILL: no handler runs) leaves its hidden temporary beside the output; the next run
/// with the same --out removes ours, recognised by AtomicFile's exact name pattern, and never a user's file.
/// </summary>
public sealed class PredictTemporariesTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void The_next_run_removes_the_temporaries_a_killed_run_left_and_nothing_else()
    {
        var fit = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--max-iter", "3", "--out", "model.json", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Directory.CreateDirectory(_work["out"]);
        var stale = _work["out/.part-00000.parquet.0123456789abcdef0123456789abcdef.tmp"]; // what AtomicFile names a temporary
        string[] users =
        [
            _work["out/.part-00000.parquet.notours.tmp"],
            _work["out/.part-00000.parquet.0123456789ABCDEF0123456789ABCDEF.tmp"], // upper case: not a name we make
            _work["out/.other.parquet.0123456789abcdef0123456789abcdef.tmp"], // not one of this run's outputs
        ];
        foreach (var path in users.Append(stale)) File.WriteAllText(path, "half-written");
        var predict = Gmm.Run(_work.Path, "predict", data.Directory, "--model", "model.json", "--out", "out", "--quiet", "--workers", "2");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.False(File.Exists(stale));
        Assert.All(users, path => Assert.True(File.Exists(path), path));
        Assert.Equal(["part-00000.parquet", "part-00001.parquet"],
            Directory.GetFiles(_work["out"], "part-*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
