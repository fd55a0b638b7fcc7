using DistributedGmm.Data;

namespace DistributedGmm.Cli.Tests;

/// <summary>Every user mistake: exit code 2, exactly one line on stderr starting "gmm: error:", and no file written.</summary>
public sealed class BadInputTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private static string Holes => Path.Combine(AppContext.BaseDirectory, "Fixtures", "holes.parquet");

    public static TheoryData<string, string[], string> Cases => new()
    {
        { "missing file", ["fit", "no-such.parquet", "-k", "2"], "no-such.parquet" },
        { "not parquet", ["fit", "text.parquet", "-k", "2"], "text.parquet" },
        { "unknown column", ["fit", "{data}", "-k", "2", "--columns", "x0,nope"], "nope" },
        { "nulls", ["fit", "{holes}", "-k", "2", "--columns", "d,holes"], "holes" },
        { "K above rows", ["fit", "{seed}", "-k", "101"], "101" },
        { "components 0", ["fit", "{data}", "--components", "0"], "--components" },
        { "components not a number", ["fit", "{data}", "--components", "many"], "many" },
        { "covariance banana", ["fit", "{data}", "-k", "2", "--covariance", "banana"], "banana" },
        { "negative tol", ["fit", "{data}", "-k", "2", "--tol", "-1"], "tol" },
        { "negative cache", ["fit", "{data}", "-k", "2", "--cache-mb", "-1"], "--cache-mb" },
        { "overflowing cache", ["fit", "{data}", "-k", "2", "--cache-mb", "9223372036854775807"], "--cache-mb" },
        { "bad init", ["fit", "{data}", "-k", "2", "--init", "psychic"], "psychic" },
        { "bad on-invalid", ["fit", "{data}", "-k", "2", "--on-invalid", "ignore"], "ignore" },
        { "no components", ["fit", "{data}"], "--components" },
        { "unknown option", ["fit", "{data}", "-k", "2", "--frobnicate"], "--frobnicate" },
        { "unknown command", ["frobnicate"], "frobnicate" },
        { "invalid model file", ["score", "{data}", "--model", "garbage.json"], "garbage.json" },
        { "missing model file", ["predict", "{data}", "--model", "absent.json", "--out", "pred"], "absent.json" },
        { "init model of other shape", ["fit", "{data}", "--init-model", "{oneColumn}", "--columns", "x0,x1"], "columns" },
        { "plot column unknown", ["plot", "{data}", "--model", "{truth}", "--x", "x9"], "x9" },
        { "plot history with data", ["plot", "{data}", "--model", "{truth}", "--history"], "--history" },
        { "predict over its input", ["predict", "{data}", "--model", "{truth}", "--out", "{data}"], "overwrite" },
        { "select bad range", ["select", "{data}", "--components", "5..2"], "5..2" },
        { "generate zero rows", ["generate", "--out", "gen", "--rows", "0"], "rows" },
        { "generate bad preset", ["generate", "--out", "gen", "--preset", "iris"], "iris" },
        { "unknown option where data goes", ["score", "--bogus", "{data}", "--model", "{truth}"], "Unrecognized option '--bogus'" },
        { "unknown option after data", ["plot", "{data}", "--model", "{truth}", "--bogus"], "Unrecognized option '--bogus'" },
        { "absurd workers", ["score", "{data}", "--model", "{truth}", "--workers", "2147483647"], "--workers must be between 1 and 1024" },
        { "absurd select range", ["select", "{data}", "-k", "1..2147483647"], "at most 1,000" },
        { "number too large for its option", ["fit", "{data}", "-k", "99999999999"], "as a whole number from" },
        { "model columns trimmed but other", ["score", "{data}", "--model", "{truth}", "--columns", " x1 , x0 "], "columns" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exits_2_with_one_line_and_writes_nothing(string name, string[] args, string mentioned)
    {
        File.WriteAllText(_work["text.parquet"], "this is not parquet\n");
        File.WriteAllText(_work["garbage.json"], "{ \"format\": \"distributed-gmm/1\", \"weights\": [0.5, ");
        var oneColumn = Path.Combine(_work.Path, "one-column.json");
        File.WriteAllText(oneColumn, OneColumnModel);
        var seedDir = Path.Combine(_work.Path, "seed");
        SyntheticData.SeedExample(seedDir, 1);
        var before = _work.Files();

        var expanded = args.Select(a => a
            .Replace("{data}", data.Directory).Replace("{holes}", Holes).Replace("{seed}", seedDir)
            .Replace("{oneColumn}", oneColumn).Replace("{truth}", Path.Combine(data.Directory, SyntheticData.TruthFileName))).ToList();
        if (expanded[0] is "fit" or "select" or "plot" && !expanded.Contains("--out")) expanded.AddRange(["--out", "out.file"]);
        var result = Gmm.Run(_work.Path, expanded.ToArray());

        Assert.True(result.ExitCode == 2, $"{name}: {result}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"{name}: {result}");
        Assert.StartsWith("gmm: error: ", lines[0]);
        Assert.Contains(mentioned, lines[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("System.", result.Stderr);
        Assert.Equal(before, _work.Files());
    }

    [Fact]
    public void Skip_policy_fits_around_invalid_rows_with_a_warning()
    {
        var result = Gmm.Run(_work.Path, "fit", Holes, "-k", "2", "--columns", "d,holes", "--on-invalid", "skip", "--quiet", "--out", "m.json");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("gmm: warning:", result.Stderr);
        Assert.Contains("skipped", result.Stderr);
        Assert.True(File.Exists(_work["m.json"]));
    }

    private const string OneColumnModel = """
        { "format": "distributed-gmm/1", "covariance_type": "full", "n_components": 2, "n_features": 1, "columns": ["x0"],
          "weights": [0.5, 0.5], "means": [[0.0], [1.0]], "covariances": [[[1.0]], [[1.0]]],
          "n_samples": 10, "n_iter": 1, "converged": true }
        """;
}
