using System.Diagnostics;
using System.Text.Json;
using DistributedGmm.Data;
using Parquet;
using Parquet.Schema;
using Spectre.Console;

namespace DistributedGmm.Cli.Tests;

/// <summary>How gmm reads its inputs, through real processes: discovery, default columns, and values it must refuse.</summary>
public sealed class InputTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string Truth => Path.Combine(data.Directory, SyntheticData.TruthFileName);

    private static string[] Parts(string directory) =>
        Directory.GetFiles(directory, "part-*.parquet").Order(StringComparer.Ordinal).ToArray();

    private static long Samples(Gmm.Result result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("n_samples").GetInt64();
    }

    [Fact]
    public void A_file_reached_by_links_loops_and_repeated_arguments_is_read_once()
    {
        var folder = Directory.CreateDirectory(_work["links"]).FullName;
        foreach (var part in Parts(data.Directory)) File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(part)), part);
        File.CreateSymbolicLink(Path.Combine(folder, "alias.parquet"), Path.Combine(folder, "part-00000.parquet"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "self"), ".");
        Directory.CreateSymbolicLink(Path.Combine(folder, "original"), data.Directory);

        var result = Gmm.Run(_work.Path, "score", folder, Parts(data.Directory)[0], data.Directory, "--model", Truth, "--json");

        Assert.Equal(GeneratedData.Rows, Samples(result));
    }

    [Fact]
    public void A_fifo_in_a_folder_or_given_directly_is_refused_without_waiting_for_a_writer()
    {
        var folder = Directory.CreateDirectory(_work["fifo"]).FullName;
        File.Copy(Parts(data.Directory)[0], Path.Combine(folder, "a.parquet"));
        var fifo = Path.Combine(folder, "x.parquet");
        Process.Start("mkfifo", fifo).WaitForExit();
        Assert.True(File.Exists(fifo));

        foreach (var input in new[] { folder, fifo })
        {
            var clock = Stopwatch.StartNew();
            var result = Gmm.Run(_work.Path, "score", input, "--model", Truth);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("x.parquet: a FIFO (named pipe), not a regular file", result.Stderr);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
        }
    }

    [Fact]
    public void Glob_bracket_classes_match_one_character_of_the_class()
    {
        var pattern = Path.Combine(data.Directory, "part-0000[01].parquet");
        var negated = Path.Combine(data.Directory, "part-0000[!0].parquet");
        var range = Path.Combine(data.Directory, "part-0000[a-z].parquet");

        Assert.Equal(GeneratedData.Rows, Samples(Gmm.Run(_work.Path, "score", pattern, "--model", Truth, "--json")));
        Assert.Equal(new ShardCount(Parts(data.Directory)[1]).Rows, Samples(Gmm.Run(_work.Path, "score", negated, "--model", Truth, "--json")));
        var none = Gmm.Run(_work.Path, "score", range, "--model", Truth);
        Assert.True(none.ExitCode == 2 && none.Stderr.Contains("matches no file"), none.ToString());
    }

    private sealed record ShardCount(string Path)
    {
        public long Rows => Dataset.Discover([Path], new DataOptions()).TotalRows;
    }

    [Fact]
    public void Default_features_are_the_floating_point_columns_of_every_file_whatever_their_order()
    {
        var good = _work["good.parquet"];
        var other = _work["d1.parquet"];
        Write(good, ("a", Column(500, i => i % 7)), ("b", Column(500, i => i % 5)));
        Write(other, ("a", Column(500, i => i % 3)));
        foreach (var order in new[] { new[] { good, other }, [other, good] })
        {
            var result = Gmm.Run(_work.Path, ["fit", .. order, "-k", "2", "--out", "m.json", "--json"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(["a"], JsonDocument.Parse(File.ReadAllText(_work["m.json"])).RootElement.GetProperty("columns").EnumerateArray().Select(e => e.GetString()));
            Assert.Contains("gmm: note: not used as features: b (DOUBLE, but missing in", result.Stderr);
        }
    }

    [Fact]
    public void Integer_columns_are_named_in_a_note_and_fitted_when_asked_for()
    {
        var faithful = _work["faithful.parquet"];
        var random = new Random(3);
        var rows = 272;
        var eruptions = Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? 2 + random.NextDouble() : 4 + random.NextDouble()).ToArray();
        var waiting = eruptions.Select(e => (long)Math.Round(20 * e + 10 * random.NextDouble())).ToArray();
        Write(faithful, ("eruptions", eruptions), ("waiting", waiting));

        var plain = Gmm.Run(_work.Path, "fit", faithful, "-k", "2", "--out", "one.json");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("gmm: note: not used as features: waiting (INT64); add them with --columns", plain.Stderr);
        Assert.Contains("(eruptions)", plain.Stderr); // the progress's first line names the feature columns

        var both = Gmm.Run(_work.Path, "fit", faithful, "-k", "2", "--columns", "eruptions,waiting", "--out", "two.json", "--quiet");
        Assert.True(both.ExitCode == 0, both.ToString());
        Assert.DoesNotContain("note", both.Stderr);
        Assert.Equal(["eruptions", "waiting"], JsonDocument.Parse(File.ReadAllText(_work["two.json"])).RootElement.GetProperty("columns").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_column_whose_name_has_spaces_can_be_chosen_and_spaces_around_names_still_separate()
    {
        var file = _work["spaces.parquet"];
        Write(file, (" sp ", Column(300, i => i % 4)), ("sp", Column(300, i => 100 + i % 9)), ("x", Column(300, i => i % 6)));
        var spaced = Gmm.Run(_work.Path, "fit", file, "-k", "2", "--columns", " sp ,x", "--out", "spaced.json", "--quiet");
        var trimmed = Gmm.Run(_work.Path, "fit", file, "-k", "2", "--columns", "sp, x", "--out", "trimmed.json", "--quiet");
        Assert.True(spaced.ExitCode == 0 && trimmed.ExitCode == 0, spaced + "\n" + trimmed);
        string[] ColumnsOf(string m) => JsonDocument.Parse(File.ReadAllText(_work[m])).RootElement.GetProperty("columns").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal([" sp ", "x"], ColumnsOf("spaced.json"));
        Assert.Equal(["sp", "x"], ColumnsOf("trimmed.json"));
    }

    [Theory]
    [InlineData(2e144, "kmeans", false)]
    [InlineData(1.5e154, "k-means++", false)]
    [InlineData(1.5e154, "random-from-data", false)]
    [InlineData(8e143, "k-means++", true)]
    public void Values_beyond_the_usable_magnitude_are_refused_naming_the_column_and_the_bound(double scale, string init, bool usable)
    {
        var file = _work["big.parquet"];
        Write(file, ("small", Column(400, i => i % 5)), ("big", Column(400, i => scale * (i % 2 == 0 ? 1 : -0.5) * (1 + (i % 3) / 10.0))));
        var fit = Gmm.Run(_work.Path, "fit", file, "-k", "2", "--init", init, "--out", "m.json", "--quiet", "--json");
        if (usable)
        {
            Assert.True(fit.ExitCode == 0, fit.ToString());
            var model = JsonDocument.Parse(fit.Stdout).RootElement;
            Assert.True(double.IsFinite(model.GetProperty("log_likelihood").GetDouble()), fit.Stdout);
            var score = Gmm.Run(_work.Path, "score", file, "--model", "m.json", "--json");
            Assert.True(score.ExitCode == 0 && double.IsFinite(JsonDocument.Parse(score.Stdout).RootElement.GetProperty("log_likelihood").GetDouble()), score.ToString());
            return;
        }
        Assert.True(fit.ExitCode == 2, fit.ToString());
        Assert.Contains("column \"big\"", fit.Stderr);
        Assert.Contains("1e144", fit.Stderr);
        Assert.False(File.Exists(_work["m.json"]));
        var skip = Gmm.Run(_work.Path, "fit", file, "-k", "2", "--on-invalid", "skip", "--out", "m.json", "--quiet");
        Assert.True(skip.ExitCode == 2 && skip.Stderr.Contains("1e144"), skip.ToString());
    }

    [Fact]
    public void Every_command_that_writes_files_can_summarise_them_as_json()
    {
        var generate = Gmm.Run(_work.Path, "generate", "--out", "gen", "--rows", "2000", "--files", "2", "--json");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var files = JsonDocument.Parse(generate.Stdout).RootElement.GetProperty("files").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(Parts(_work["gen"]), files);

        var predict = Gmm.Run(_work.Path, "predict", "--json", "gen", "--model", Path.Combine("gen", SyntheticData.TruthFileName), "--out", "pred");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var written = JsonDocument.Parse(predict.Stdout).RootElement.GetProperty("files").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(2, written.Length);
        Assert.All(written, f => Assert.True(File.Exists(f), f));

        var plot = Gmm.Run(_work.Path, "plot", "--json", "--model", Path.Combine("gen", SyntheticData.TruthFileName), "gen", "--out", "p.png");
        if (plot.Stderr.Contains("font")) return; // a machine without fonts draws nothing; that refusal is tested elsewhere
        Assert.True(plot.ExitCode == 0, plot.ToString());
        Assert.Equal(Path.GetFullPath(_work["p.png"]), Path.GetFullPath(JsonDocument.Parse(plot.Stdout).RootElement.GetProperty("out").GetString()!, _work.Path));
    }

    [Fact]
    public void The_live_tables_header_fits_in_80_columns()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 80;
        var table = ProgressDisplay.LiveTable("fitting");
        table.AddRow("10", "1000", "-12345.123456", "+1.234e-04", "123.456", "64", "9999/9999");
        console.Write(table);
        Assert.Contains("mean log-lik", writer.ToString());
        Assert.DoesNotContain("…", writer.ToString());
    }

    private static double[] Column(int rows, Func<int, double> value) => Enumerable.Range(0, rows).Select(value).ToArray();

    [Fact]
    public void Data_whose_every_row_is_skipped_is_refused_with_one_line()
    {
        var file = _work["invalid.parquet"];
        Write(file, ("x0", new double?[] { 1, double.NaN, 3, null }), ("x1", new double?[] { null, 2, double.PositiveInfinity, 4 }));

        var fit = Gmm.Run(_work.Path, "fit", file, "-k", "1", "--on-invalid", "skip", "--out", "m.json", "--quiet");
        Assert.True(fit.ExitCode == 2, fit.ToString());
        Assert.Contains("no valid row", fit.Stderr);
        Assert.Single(fit.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(_work["m.json"]));

        var score = Gmm.Run(_work.Path, "score", file, "--model", Truth, "--on-invalid", "skip");
        Assert.True(score.ExitCode == 2, score.ToString());
        Assert.Contains("no row to score: all 4 rows", score.Stderr);
        Assert.Equal("", score.Stdout.Trim());
    }

    [Fact]
    public void Score_takes_quiet_and_then_warns_of_nothing()
    {
        var file = _work["some-invalid.parquet"];
        Write(file, ("x0", new double?[] { 1, double.NaN, 3, 5 }), ("x1", new double?[] { 2, 2, 4, 4 }));

        var loud = Gmm.Run(_work.Path, "score", file, "--model", Truth, "--on-invalid", "skip", "--json");
        Assert.True(loud.ExitCode == 0, loud.ToString());
        Assert.Contains("1 row with null, NaN or infinite values was skipped", loud.Stderr);

        var quiet = Gmm.Run(_work.Path, "score", file, "--model", Truth, "--on-invalid", "skip", "--json", "--quiet");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Equal("", quiet.Stderr.Trim());
        Assert.Equal(loud.Stdout, quiet.Stdout);
    }

    [Fact]
    public void A_corrupted_data_page_names_the_file_row_group_and_column()
    {
        var generated = Gmm.Run(_work.Path, "generate", "--out", "g", "--rows", "2000", "--dims", "2", "--files", "1", "--seed", "4");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var bytes = File.ReadAllBytes(_work["g/part-00000.parquet"]);
        // The first column chunk starts right after the 4-byte magic with its first page header.
        for (var i = 4; i < 10; i++) bytes[i] ^= 0x5A;
        Directory.CreateDirectory(_work["bad"]);
        File.WriteAllBytes(_work["bad/part-00000.parquet"], bytes);

        foreach (var command in new[] { new[] { "fit", "bad", "-k", "2", "--quiet", "--out", "m.json" },
                                        ["predict", "bad", "--model", Truth, "--out", "p", "--quiet"] })
        {
            var result = Gmm.Run(_work.Path, command);
            Assert.True(result.ExitCode == 2, result.ToString());
            var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("gmm: error:", StringComparison.Ordinal));
            Assert.Contains("bad/part-00000.parquet: row group 0, column \"x0\": cannot decode", error);
            Assert.DoesNotContain("   at ", result.Stderr);
        }
        Assert.False(File.Exists(_work["m.json"]));
        Assert.False(Directory.Exists(_work["p"]) && Directory.EnumerateFileSystemEntries(_work["p"]).Any());
    }

    private static void Write(string path, params (string Name, Array Values)[] columns) => TestParquet.Write(path, columns);
}
