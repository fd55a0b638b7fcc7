using System.Diagnostics;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Core.Tests.Support;

namespace DistributedGmm.Cli.Tests;

/// <summary>
/// The output rules of the README, through the built program: no output replaces an input (whatever path reaches it),
/// an unknown file is replaced only with --overwrite, devices and FIFOs are written to, never replaced (on private
/// nodes made here, never the real /dev/null or /dev/full), a failed write exits 2 (a select whose plot fails keeps
/// no model), and a cancelled generate or demo leaves nothing behind.
/// </summary>
public sealed class OutputSafetyTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string Input => Path.Combine(data.Directory, "part-00000.parquet");

    private string Truth => Path.Combine(data.Directory, "truth.json");

    private static void AssertRefused(Gmm.Result result, params string[] mentions)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        // Notes (such as the numeric columns not used as features) may come first; the refusal is one error line.
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("gmm: note: ", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length == 1 && lines[0].StartsWith("gmm: error: ", StringComparison.Ordinal), result.ToString());
        foreach (var m in mentions) Assert.Contains(m, lines[0]);
    }

    private byte[] InputBytes() => File.ReadAllBytes(Input);

    [Fact]
    public void Fit_onto_its_input_is_refused_even_with_overwrite_and_through_a_link()
    {
        var before = InputBytes();
        AssertRefused(Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", Input), Input, "not a model file", "--overwrite");
        AssertRefused(Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", Input, "--overwrite"), "would overwrite the input");
        File.CreateSymbolicLink(_work["link.parquet"], Input);
        AssertRefused(Gmm.Run(_work.Path, "fit", data.Directory, "-k", "2", "--out", "link.parquet", "--overwrite"), "would overwrite the input", Input);
        Assert.Equal(before, InputBytes());
    }

    [Fact]
    public void Plot_and_select_onto_an_input_are_refused()
    {
        var before = InputBytes();
        AssertRefused(Gmm.Run(_work.Path, "plot", data.Directory, "--model", Truth, "--out", Input), "not a PNG");
        AssertRefused(Gmm.Run(_work.Path, "plot", data.Directory, "--model", Truth, "--out", Input, "--overwrite"), "would overwrite the input");
        AssertRefused(Gmm.Run(_work.Path, "plot", "--history", "--model", Truth, "--out", Truth, "--overwrite"), "would overwrite the input");
        AssertRefused(Gmm.Run(_work.Path, "select", data.Directory, "-k", "1..2", "--out", Input, "--overwrite"), "would overwrite the input");
        AssertRefused(Gmm.Run(_work.Path, "select", data.Directory, "-k", "1..2", "--plot", Input, "--overwrite"), "--plot", "would overwrite the input");
        Assert.Equal(before, InputBytes());
    }

    [Fact]
    public void Predict_into_a_link_to_the_input_folder_is_refused()
    {
        var before = InputBytes();
        Directory.CreateSymbolicLink(_work["link"], data.Directory);
        AssertRefused(Gmm.Run(_work.Path, "predict", data.Directory, "--model", Truth, "--out", "link"), "would overwrite the input");
        Assert.Equal(before, InputBytes());
    }

    [Fact]
    public void An_existing_file_gmm_did_not_write_needs_overwrite_and_a_previous_model_does_not()
    {
        File.WriteAllText(_work["notes.txt"], "my notes");
        AssertRefused(Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", "notes.txt", "--quiet"), "notes.txt", "--overwrite");
        Assert.Equal("my notes", File.ReadAllText(_work["notes.txt"]));

        var first = Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", "notes.txt", "--quiet", "--overwrite");
        Assert.True(first.ExitCode == 0, first.ToString());
        var again = Gmm.Run(_work.Path, "fit", Input, "-k", "3", "--out", "notes.txt", "--quiet");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(3, ModelFile.Read(_work["notes.txt"]).Mixture.Components);
    }

    [Fact]
    public void A_full_device_fails_the_fit_and_the_plot_and_stays_a_device()
    {
        var full = _work["full"];
        SpecialFiles.MakeCharacterDevice(full, 1, 7);
        AssertRefused(Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", full, "--quiet"), $"cannot write {full}: No space left on device");
        var fit = Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", "model.json", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        AssertRefused(Gmm.Run(_work.Path, "plot", "--history", "--model", "model.json", "--out", full), $"cannot write {full}: No space left on device");
        Assert.Equal(FileKind.CharacterDevice, FileNode.Of(full).Kind);
        Assert.Equal(["model.json"], _work.Files().Where(f => f != "full").ToArray());
    }

    [Fact]
    public void Select_whose_plot_cannot_be_written_leaves_no_model()
    {
        var full = _work["full"];
        SpecialFiles.MakeCharacterDevice(full, 1, 7);
        var select = Gmm.Run(_work.Path, "select", data.Directory, "-k", "1..2", "--covariance", "diag", "--out", "best.json", "--plot", full, "--quiet");
        AssertRefused(select, $"cannot write {full}: No space left on device");
        Assert.Equal(["full"], _work.Files());
    }

    [Fact]
    public void A_null_device_takes_the_model_and_stays_a_device()
    {
        var nul = _work["null"];
        SpecialFiles.MakeCharacterDevice(nul, 1, 3);
        var fit = Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", nul, "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Equal(FileKind.CharacterDevice, FileNode.Of(nul).Kind);
        Assert.Equal(["null"], _work.Files());
    }

    [Theory]
    [InlineData("/proc/model.json", "kernel file system")]
    [InlineData("/sys/model.json", "kernel file system")]
    [InlineData("{file}/model.json", "not a folder")]
    public void An_output_that_cannot_be_a_file_is_refused_up_front(string output, string mention)
    {
        File.WriteAllText(_work["plain"], "x");
        output = output.Replace("{file}", _work["plain"]);
        AssertRefused(Gmm.Run(_work.Path, "fit", Input, "-k", "2", "--out", output), output, mention);
        AssertRefused(Gmm.Run(_work.Path, "generate", "--out", Path.GetDirectoryName(output)!, "--rows", "100"), mention);
    }

    [Fact]
    public void Generate_refuses_a_non_empty_folder_and_overwrite_removes_only_its_own_files()
    {
        var first = Gmm.Run(_work.Path, "generate", "--out", "gen", "--rows", "3000", "--files", "3");
        Assert.True(first.ExitCode == 0, first.ToString());
        File.WriteAllText(_work["gen/notes.txt"], "mine");
        File.WriteAllText(_work["gen/part-00009.parquet"], "not parquet, so not generate's");

        AssertRefused(Gmm.Run(_work.Path, "generate", "--out", "gen", "--rows", "1000", "--files", "1"), "not empty", "--overwrite");
        Assert.Equal(6, _work.Files().Length);

        var again = Gmm.Run(_work.Path, "generate", "--out", "gen", "--rows", "1000", "--files", "1", "--overwrite");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["gen/notes.txt", "gen/part-00000.parquet", "gen/part-00009.parquet", "gen/truth.json"], _work.Files());
        Assert.Equal("mine", File.ReadAllText(_work["gen/notes.txt"]));
        Assert.Equal(1000, ModelFile.Read(_work["gen/truth.json"]).Samples);
    }

    [Fact]
    public void A_cancelled_generate_leaves_no_file_behind()
    {
        AssertCancelledCleanly(["generate", "--out", "gen", "--rows", "4000000", "--files", "8", "--dims", "4"], "gen/part-00000.parquet", "gen");
    }

    [Fact]
    public void A_cancelled_demo_leaves_no_file_behind()
    {
        AssertCancelledCleanly(["demo", "--out", "demo", "--rows", "4000000", "--quiet"], "demo/synthetic/part-00000.parquet", "demo");
    }

    /// <summary>Starts the command, sends SIGINT once <paramref name="evidence"/> shows it has written something, and checks it removed it all.</summary>
    private void AssertCancelledCleanly(string[] args, string evidence, string folder)
    {
        var pending = Gmm.Start(_work.Path, args, out var process);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(_work[evidence]) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
        Assert.True(File.Exists(_work[evidence]), $"{evidence} never appeared");
        ProcessSignal.Send(process, "INT");
        var result = pending.Wait(process);
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("no output was written", result.Stderr);
        Assert.Empty(_work.Files());
        Assert.False(Directory.Exists(_work[folder]), $"{folder} was left behind");
    }

    [Fact]
    public void A_model_that_is_a_device_or_a_fifo_is_refused_at_once()
    {
        SpecialFiles.MakeCharacterDevice(_work["zero"], 1, 5);
        SpecialFiles.MakeFifo(_work["fifo.json"]);
        AssertRefused(Gmm.Run(_work.Path, "score", Input, "--model", "zero"), "zero", "character device");
        AssertRefused(Gmm.Run(_work.Path, "score", Input, "--model", "fifo.json"), "fifo.json", "FIFO");
    }

    [Fact]
    public void A_model_whose_counts_contradict_its_arrays_is_refused_naming_the_field()
    {
        File.WriteAllText(_work["bad.json"], File.ReadAllText(Truth).Replace("\"n_features\": 2", "\"n_features\": 5"));
        AssertRefused(Gmm.Run(_work.Path, "score", Input, "--model", "bad.json"), "bad.json", "n_features is 5");
    }
}
