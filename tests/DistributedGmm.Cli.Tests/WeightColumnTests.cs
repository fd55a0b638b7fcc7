using System.Text.Json;

namespace DistributedGmm.Cli.Tests;

/// <summary>
/// <c>--weight-column</c> end to end: integer weights in an INT64 column give the model of a second file that repeats
/// each row w times (from the same start), score reports the weighted totals, and bad weights are bad input.
/// </summary>
public sealed class WeightColumnTests : IDisposable
{
    private const int Rows = 240;
    private readonly TempFolder _work = new();

    public WeightColumnTests()
    {
        var (x, y, w) = Data();
        TestParquet.Write(_work["weighted.parquet"], [("x", x), ("y", y), ("w", w)]);
        var repeat = Enumerable.Range(0, Rows).SelectMany(i => Enumerable.Repeat(i, (int)w[i])).ToArray();
        TestParquet.Write(_work["repeated.parquet"], [("x", repeat.Select(i => x[i]).ToArray()), ("y", repeat.Select(i => y[i]).ToArray())]);
    }

    public void Dispose() => _work.Dispose();

    /// <summary>Two blobs, and weights 0–3 (a quarter of the rows weigh 0).</summary>
    internal static (double[] X, double[] Y, long[] W) Data()
    {
        var random = new Random(3);
        var x = new double[Rows];
        var y = new double[Rows];
        var w = new long[Rows];
        for (var i = 0; i < Rows; i++)
        {
            var blob = i % 3 == 0 ? 4.0 : 0.0;
            x[i] = blob + random.NextDouble() + random.NextDouble() - 1;
            y[i] = -blob + 0.5 * (random.NextDouble() + random.NextDouble() - 1) + 0.3 * x[i];
            w[i] = (i * 5 + 1) % 4;
        }
        return (x, y, w);
    }

    private Gmm.Result Ok(params string[] args)
    {
        var result = Gmm.Run(_work.Path, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Theory]
    [InlineData("full")]
    [InlineData("tied")]
    [InlineData("diag")]
    [InlineData("spherical")]
    public void Integer_weights_fit_the_model_of_the_repeated_rows(string covariance)
    {
        // The same start for both: a short fit of the repeated rows.
        Ok("fit", _work["repeated.parquet"], "-k", "2", "--covariance", covariance, "--max-iter", "2", "--quiet", "--out", "start.json");
        var common = new[] { "--init-model", "start.json", "--max-iter", "8", "--tol", "0", "--shard-rows", "50", "--quiet" };
        Ok(["fit", _work["repeated.parquet"], .. common, "--out", "repeated.json"]);
        var fit = Ok(["fit", _work["weighted.parquet"], "--weight-column", "w", .. common, "--out", "weighted.json"]);

        AssertClose(_work["repeated.json"], _work["weighted.json"], 1e-10,
            "weights", "means", "covariances", "log_likelihood_history", "log_likelihood", "mean_log_likelihood", "n_samples", "bic", "aic");
        using var model = JsonDocument.Parse(File.ReadAllText(_work["weighted.json"]));
        Assert.Equal("w", model.RootElement.GetProperty("weight_column").GetString());
        Assert.Equal(["x", "y"], model.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains($"(Σ w over {Rows} rows)", fit.Stdout);
    }

    [Fact]
    public void Score_reports_the_weighted_totals_of_the_repeated_rows()
    {
        Ok("fit", _work["repeated.parquet"], "-k", "2", "--quiet", "--out", "model.json");
        var repeated = JsonDocument.Parse(Ok("score", _work["repeated.parquet"], "--model", "model.json", "--json").Stdout).RootElement;
        var weighted = JsonDocument.Parse(Ok("score", _work["weighted.parquet"], "--model", "model.json", "--weight-column", "w", "--json").Stdout).RootElement;
        var unweighted = JsonDocument.Parse(Ok("score", _work["weighted.parquet"], "--model", "model.json", "--json").Stdout).RootElement;

        foreach (var key in new[] { "n_samples", "log_likelihood", "bic", "aic" })
        {
            var (a, b) = (repeated.GetProperty(key).GetDouble(), weighted.GetProperty(key).GetDouble());
            Assert.True(Math.Abs(a - b) <= 1e-10 * Math.Abs(a), $"{key}: repeated {a:R}, weighted {b:R}");
        }
        Assert.Equal(Rows, unweighted.GetProperty("n_samples").GetDouble());
    }

    [Fact]
    public void Predict_takes_the_weight_column_and_never_uses_it_as_a_feature()
    {
        Ok("fit", _work["weighted.parquet"], "-k", "2", "--weight-column", "w", "--quiet", "--out", "model.json");
        using var model = JsonDocument.Parse(File.ReadAllText(_work["model.json"]));
        Assert.Equal(2, model.RootElement.GetProperty("n_features").GetInt32());
        Ok("predict", _work["weighted.parquet"], "--model", "model.json", "--weight-column", "w", "--out", "pred", "--quiet");
        Assert.True(File.Exists(_work["pred/weighted.parquet"]));
    }

    public static TheoryData<string, double?[], string> BadWeights => new()
    {
        { "null", [1, 2, null, 1], "null weight" },
        { "NaN", [1, 2, double.NaN, 1], "NaN weight" },
        { "negative", [1, 2, -0.5, 1], "-0.5 weight" },
        { "infinite", [1, 2, double.PositiveInfinity, 1], "+Infinity weight" },
    };

    [Theory]
    [MemberData(nameof(BadWeights))]
    public void A_bad_weight_is_bad_input_naming_file_column_and_row_group_unless_skipped(string name, double?[] pattern, string what)
    {
        var (x, y, _) = Data();
        var weights = Enumerable.Range(0, Rows).Select(i => i == 77 ? pattern[2] : pattern[i % 2]).ToArray();
        TestParquet.Write(_work["bad.parquet"], [("x", x), ("y", y), ("w", weights)]);

        var refused = Gmm.Run(_work.Path, "fit", _work["bad.parquet"], "-k", "2", "--weight-column", "w", "--quiet", "--out", "bad.json");
        Assert.True(refused.ExitCode == 2, $"{name}: {refused}");
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("gmm: error: ", line);
        foreach (var part in new[] { _work["bad.parquet"], "column \"w\"", "row group 0", "row 77", what, "--on-invalid skip" }) Assert.Contains(part, line);
        Assert.False(File.Exists(_work["bad.json"]));

        var scored = Gmm.Run(_work.Path, "score", _work["bad.parquet"], "--model", "nothing.json", "--weight-column", "w");
        Assert.Equal(2, scored.ExitCode);

        var skipped = Ok("fit", _work["bad.parquet"], "-k", "2", "--weight-column", "w", "--on-invalid", "skip", "--quiet", "--out", "skip.json");
        Assert.Contains("1 invalid row", skipped.Stdout + skipped.Stderr);
        using var model = JsonDocument.Parse(File.ReadAllText(_work["skip.json"]));
        Assert.Equal(weights.Where((w, i) => i != 77).Sum(w => w!.Value), model.RootElement.GetProperty("n_samples").GetDouble(), 9);
    }

    [Fact]
    public void A_weight_too_large_for_the_sums_is_refused_even_with_skip()
    {
        var (x, y, _) = Data();
        var weights = Enumerable.Range(0, Rows).Select(i => i == 5 ? 1e200 : 1.0).ToArray();
        TestParquet.Write(_work["huge.parquet"], [("x", x), ("y", y), ("w", weights)]);

        var result = Gmm.Run(_work.Path, "fit", _work["huge.parquet"], "-k", "2", "--weight-column", "w", "--on-invalid", "skip", "--quiet", "--out", "huge.json");

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in new[] { "column \"w\"", "row 5", "1E+200 is too large" }) Assert.Contains(part, line);
    }

    public static TheoryData<string, string[], string> Refusals => new()
    {
        { "all weights 0", ["fit", "{zero}", "-k", "2", "--weight-column", "w"], "weight 0" },
        { "all weights 0 from a start", ["fit", "{zero}", "--init-model", "{start}", "--weight-column", "w"], "weight 0" },
        { "weight column unknown", ["fit", "{weighted}", "-k", "2", "--weight-column", "nope"], "nope" },
        { "weight column a feature", ["fit", "{weighted}", "-k", "2", "--columns", "x,w", "--weight-column", "w"], "weight column" },
        { "weight column empty", ["fit", "{weighted}", "-k", "2", "--weight-column", " "], "--weight-column" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusals_exit_2_with_one_line(string name, string[] args, string mentioned)
    {
        var (x, y, _) = Data();
        TestParquet.Write(_work["zero.parquet"], [("x", x), ("y", y), ("w", new long[Rows])]);
        File.WriteAllText(_work["start.json"], """
            { "format": "distributed-gmm/1", "covariance_type": "full", "columns": ["x", "y"], "weights": [0.5, 0.5],
              "means": [[0, 0], [4, -4]], "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]] }
            """);
        var expanded = args.Select(a => a.Replace("{zero}", _work["zero.parquet"]).Replace("{weighted}", _work["weighted.parquet"])
            .Replace("{start}", _work["start.json"])).Append("--quiet").Append("--out").Append("out.json").ToArray();

        var result = Gmm.Run(_work.Path, expanded);

        Assert.True(result.ExitCode == 2, $"{name}: {result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("gmm: error: ", line);
        Assert.Contains(mentioned, line);
        Assert.False(File.Exists(_work["out.json"]));
    }

    internal static void AssertClose(string expectedPath, string actualPath, double relative, params string[] keys)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(expectedPath));
        using var actual = JsonDocument.Parse(File.ReadAllText(actualPath));
        foreach (var key in keys)
        {
            var a = Flatten(expected.RootElement.GetProperty(key)).ToArray();
            var b = Flatten(actual.RootElement.GetProperty(key)).ToArray();
            Assert.Equal(a.Length, b.Length);
            var scale = Math.Max(a.Max(Math.Abs), double.Epsilon);
            for (var i = 0; i < a.Length; i++)
                Assert.True(Math.Abs(a[i] - b[i]) <= relative * scale, $"{key}[{i}]: {a[i]:R} in {expectedPath}, {b[i]:R} in {actualPath}");
        }
    }

    private static IEnumerable<double> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [e.GetDouble()];
}
