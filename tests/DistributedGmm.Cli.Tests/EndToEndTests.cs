using System.Buffers.Binary;
using System.Text.Json;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;

namespace DistributedGmm.Cli.Tests;

/// <summary>generate → fit → predict → score → select → plot through the built program, on one generated dataset.</summary>
public sealed class EndToEndTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Generate_wrote_parts_and_truth()
    {
        var truth = ModelFile.Read(Path.Combine(data.Directory, SyntheticData.TruthFileName));
        Assert.Equal(3, truth.Mixture.Components);
        Assert.True(File.Exists(Path.Combine(data.Directory, "part-00000.parquet")));
        Assert.True(File.Exists(Path.Combine(data.Directory, "part-00001.parquet")));
    }

    [Fact]
    public void Fit_predict_score_plot_chain()
    {
        var fit = Gmm.Run(_work.Path, "fit", data.Directory, "--components", "3", "--out", "model.json", "--json", "--seed", "3");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        using var summary = JsonDocument.Parse(fit.Stdout);
        Assert.Equal(GeneratedData.Rows, summary.RootElement.GetProperty("n_samples").GetInt64());
        Assert.True(summary.RootElement.GetProperty("converged").GetBoolean());
        var model = ModelFile.Read(_work["model.json"]);
        Assert.Equal(["x0", "x1"], model.Columns);
        Assert.Equal(model.Bic, summary.RootElement.GetProperty("bic").GetDouble());

        var predict = Gmm.Run(_work.Path, "predict", data.Directory, "--model", "model.json", "--out", "pred");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.Equal(["pred/part-00000.parquet", "pred/part-00001.parquet"],
            _work.Files().Where(f => f.StartsWith("pred", StringComparison.Ordinal)).Select(f => f.Replace('\\', '/')));
        var predictions = Dataset.Discover([_work["pred"]], new DataOptions { Columns = ["log_likelihood", "prob_0", "prob_1", "prob_2"] });
        Assert.Equal(GeneratedData.Rows, predictions.TotalRows);

        var score = Gmm.Run(_work.Path, "score", data.Directory, "--model", "model.json", "--json");
        Assert.True(score.ExitCode == 0, score.ToString());
        using var scored = JsonDocument.Parse(score.Stdout);
        Assert.Equal(GeneratedData.Rows, scored.RootElement.GetProperty("n_samples").GetInt64());
        Assert.Equal(model.LogLikelihood, scored.RootElement.GetProperty("log_likelihood").GetDouble(), 1e-6);
        Assert.Equal(model.Bic, scored.RootElement.GetProperty("bic").GetDouble(), 1e-6);
        Assert.Equal(model.Aic, scored.RootElement.GetProperty("aic").GetDouble(), 1e-6);

        var plot = Gmm.Run(_work.Path, "plot", data.Directory, "--model", "model.json", "--out", "figure.png", "--width", "640", "--height", "480");
        Assert.True(plot.ExitCode == 0, plot.ToString());
        AssertPng(_work["figure.png"], 640, 480);

        var history = Gmm.Run(_work.Path, "plot", "--model", "model.json", "--history", "--out", "convergence.png");
        Assert.True(history.ExitCode == 0, history.ToString());
        AssertPng(_work["convergence.png"], 900, 700);
    }

    [Fact]
    public void Select_picks_lowest_bic_and_plots_it()
    {
        var select = Gmm.Run(_work.Path, "select", data.Directory, "--components", "1..4", "--covariance", "full,diag",
            "--out", "best.json", "--plot", "bic.png", "--json");
        Assert.True(select.ExitCode == 0, select.ToString());
        using var result = JsonDocument.Parse(select.Stdout);
        var candidates = result.RootElement.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(8, candidates.Count);
        var lowest = candidates.Min(c => c.GetProperty("bic").GetDouble());
        var best = ModelFile.Read(_work["best.json"]);
        Assert.Equal(lowest, best.Bic);
        Assert.Equal(3, best.Mixture.Components);
        AssertPng(_work["bic.png"], 900, 700);
    }

    [Fact]
    public void Init_model_fit_equals_core_in_memory_fitter()
    {
        var start = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--covariance", "diag", "--max-iter", "2", "--out", "start.json", "--quiet");
        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains("did not converge", start.Stderr);

        var fit = Gmm.Run(_work.Path, "fit", data.Directory, "--init-model", "start.json", "--tol", "0", "--max-iter", "20", "--out", "model.json", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var cli = ModelFile.Read(_work["model.json"]);

        var startModel = ModelFile.Read(_work["start.json"]);
        var dataset = Dataset.Discover([data.Directory], new DataOptions { Columns = startModel.Columns });
        using var reader = new ShardReader(dataset);
        var shards = dataset.Shards.Select(s => reader.Read(s).Block).ToList();
        var settings = new FitSettings
        {
            Components = 3, CovarianceType = CovarianceType.Diag, Tol = 0, MaxIter = 20, InitModel = startModel.Mixture,
        };
        var core = InMemoryFitter.Fit(shards, dataset.Columns, settings);

        Assert.Equal(20, cli.Iterations);
        Assert.False(cli.Converged);
        AssertClose(core.Mixture.Weights, cli.Mixture.Weights);
        AssertClose(core.Mixture.Means, cli.Mixture.Means);
        AssertClose(core.Mixture.Covariances, cli.Mixture.Covariances);
        Assert.Equal(core.LogLikelihood, cli.LogLikelihood, 1e-9);
    }

    [Fact]
    public void Accelerated_fit_records_its_passes_and_equals_the_core_fitter()
    {
        var fit = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--covariance", "diag", "--init", "random", "--tol", "1e-7", "--max-iter", "400",
            "--accelerate", "squarem", "--out", "fast.json");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var model = ModelFile.Read(_work["fast.json"]);
        var json = JsonDocument.Parse(File.ReadAllText(_work["fast.json"])).RootElement;
        Assert.Equal(model.Passes, json.GetProperty("n_passes").GetInt32());
        Assert.Equal("squarem", json.GetProperty("settings").GetProperty("accelerate").GetString());
        Assert.True(model.Passes > model.Iterations, $"{model.Passes} passes, {model.Iterations} iterations");
        Assert.Contains($"(pass {model.Passes})", fit.Stderr);

        var dataset = Dataset.Discover([data.Directory], new DataOptions());
        using var reader = new ShardReader(dataset);
        var shards = dataset.Shards.Select(s => reader.Read(s).Block).ToList();
        var core = InMemoryFitter.Fit(shards, dataset.Columns, model.Settings! with { Kernel = null });
        Assert.Equal(core.Passes, model.Passes);
        AssertClose(core.Mixture.Means, model.Mixture.Means);
        AssertClose(core.Mixture.Covariances, model.Mixture.Covariances);

        var bad = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--accelerate", "fast", "--out", "bad.json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--accelerate must be none or squarem, got 'fast'", bad.Stderr);
        Assert.False(File.Exists(_work["bad.json"]));
    }

    [Fact]
    public void Float32_cache_precision_fits_close_to_float64_and_bad_values_are_usage_errors()
    {
        var exact = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--tol", "0", "--max-iter", "10", "--seed", "2", "--out", "f64.json", "--quiet");
        var rounded = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--tol", "0", "--max-iter", "10", "--seed", "2", "--out", "f32.json", "--quiet",
            "--cache-precision", "float32");
        Assert.True(exact.ExitCode == 0 && rounded.ExitCode == 0, exact + "\n" + rounded);
        var (a, b) = (ModelFile.Read(_work["f64.json"]), ModelFile.Read(_work["f32.json"]));
        Assert.NotEqual(a.LogLikelihood, b.LogLikelihood); // the values were rounded
        Assert.Equal(a.MeanLogLikelihood, b.MeanLogLikelihood, 1e-6);
        for (var i = 0; i < a.Mixture.Means.Length; i++)
            Assert.True(Math.Abs(a.Mixture.Means[i] - b.Mixture.Means[i]) <= 1e-6 * Math.Max(1, Math.Abs(a.Mixture.Means[i])), $"means[{i}]");

        var bad = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--cache-precision", "half", "--out", "bad.json");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--cache-precision must be float64 or float32, got 'half'", bad.Stderr);
    }

    [Fact]
    public void Redirected_output_gives_plain_lines_per_iteration()
    {
        var fit = Gmm.Run(_work.Path, "fit", data.Directory, "-k", "3", "--max-iter", "5", "--tol", "0");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.DoesNotContain('\u001b', fit.Stdout + fit.Stderr);
        var lines = fit.Stderr.Split('\n').Where(l => l.StartsWith("iteration ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, lines.Count);
        Assert.StartsWith("iteration 1: mean log-likelihood", lines[0]);
        Assert.EndsWith(", 8 shards", lines[4].TrimEnd());
        Assert.Contains("model written to model.json", fit.Stdout);
        Assert.Contains("\"converged\": false", File.ReadAllText(_work["model.json"]));
    }

    [Fact]
    public void Sigint_stops_a_fit_with_130_and_no_model()
    {
        var pending = Gmm.Start(_work.Path, ["fit", data.Directory, "-k", "8", "--tol", "0", "--max-iter", "100000", "--out", "model.json"], out var process);
        // Long enough for the runtime to start and the fit to be iterating (it would run for many minutes).
        Thread.Sleep(TimeSpan.FromSeconds(4));
        Assert.False(process.HasExited);
        ProcessSignal.Send(process, "INT");
        var result = pending.Wait(process);
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.False(File.Exists(_work["model.json"]));
        Assert.Empty(_work.Files());
    }

    internal static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }
}
