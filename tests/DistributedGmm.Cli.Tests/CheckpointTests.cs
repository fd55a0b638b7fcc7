using DistributedGmm.Cli.Tests.MultiNode;

namespace DistributedGmm.Cli.Tests;

/// <summary>
/// <c>gmm fit --checkpoint</c> killed outright (SIGKILL) mid-fit, then <c>--resume</c>d, writes the very model file an
/// uninterrupted fit writes; a checkpoint of other settings is refused.
/// </summary>
public sealed class CheckpointTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] Fit(string output, params string[] extra) =>
        ["fit", data.Directory, "-k", "6", "--tol", "0", "--max-iter", "150", "--n-init", "2", "--init", "random", "--out", output,
            .. extra.Contains("--seed") ? [] : new[] { "--seed", "5" }, .. extra];

    [Fact(Timeout = 240_000)]
    public async Task A_killed_fit_resumes_to_the_model_of_an_uninterrupted_fit()
    {
        var reference = Gmm.Run(_work.Path, Fit("reference.json", "--quiet"));
        Assert.True(reference.ExitCode == 0, reference.ToString());

        using (var killed = new GmmProcess(_work.Path, Fit("model.json", "--checkpoint", "cp")))
        {
            await killed.WaitForStderrAsync("iteration 4:", TimeSpan.FromMinutes(1));
            killed.Signal("KILL");
            Assert.Equal(137, await killed.WaitForExitAsync(TimeSpan.FromSeconds(30))); // 128 + SIGKILL: killed, not finished
        }
        Assert.False(File.Exists(_work["model.json"]));
        Assert.True(File.Exists(_work["cp/checkpoint.json"]));

        var resumed = Gmm.Run(_work.Path, Fit("model.json", "--checkpoint", "cp", "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("gmm: resuming from", resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(_work["reference.json"]), File.ReadAllBytes(_work["model.json"]));

        // The finished fit's checkpoint: resuming again only writes the model.
        var again = Gmm.Run(_work.Path, Fit("again.json", "--checkpoint", "cp", "--resume", "--quiet"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("only the final E-step remains", again.Stderr);
        Assert.Equal(File.ReadAllBytes(_work["reference.json"]), File.ReadAllBytes(_work["again.json"]));

        var other = Gmm.Run(_work.Path, Fit("other.json", "--checkpoint", "cp", "--resume", "--seed", "6"));
        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains("the checkpoint was written with seed 5; this fit asks for 6", other.Stderr);
        Assert.False(File.Exists(_work["other.json"]));
    }

    [Fact]
    public void Resume_without_a_checkpoint_folder_or_file_is_a_usage_error()
    {
        var alone = Gmm.Run(_work.Path, Fit("m.json", "--resume"));
        Assert.True(alone.ExitCode == 2, alone.ToString());
        Assert.Contains("--resume needs --checkpoint DIR", alone.Stderr);
        var missing = Gmm.Run(_work.Path, Fit("m.json", "--resume", "--checkpoint", "nothing-here"));
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("no checkpoint to resume from", missing.Stderr);
    }
}
