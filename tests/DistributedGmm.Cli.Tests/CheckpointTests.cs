using System.Diagnostics;

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

    [Fact]
    public void A_killed_fit_resumes_to_the_model_of_an_uninterrupted_fit()
    {
        var reference = Gmm.Run(_work.Path, Fit("reference.json", "--quiet"));
        Assert.True(reference.ExitCode == 0, reference.ToString());

        var killedAfter = KillAfterIterations(Fit("model.json", "--checkpoint", "cp"), iterations: 4);
        Assert.False(File.Exists(_work["model.json"]));
        Assert.True(File.Exists(_work["cp/checkpoint.json"]));
        Assert.True(killedAfter < 300, $"the fit finished before it was killed ({killedAfter} iterations)");

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

    /// <summary>Starts gmm, SIGKILLs it once <paramref name="iterations"/> iteration lines are on its stderr; returns the lines seen.</summary>
    private int KillAfterIterations(string[] args, int iterations)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _work.Path, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Gmm.Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var seen = 0;
        using var enough = new ManualResetEventSlim();
        using var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("iteration ", StringComparison.Ordinal) == true && Interlocked.Increment(ref seen) >= iterations) enough.Set();
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        try
        {
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            Assert.True(enough.Wait(TimeSpan.FromMinutes(1)) || process.HasExited, "no iterations within a minute");
            Assert.False(process.HasExited, $"gmm exited by itself (exit {(process.HasExited ? process.ExitCode : 0)}) before it was killed");
            process.Kill(entireProcessTree: true);
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
            return Volatile.Read(ref seen);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
