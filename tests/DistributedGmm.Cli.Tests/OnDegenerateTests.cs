using System.Text.Json;

namespace DistributedGmm.Cli.Tests;

/// <summary><c>--on-degenerate</c> end to end: the default stops with exit 2; reseed and drop go on, warn on stderr and record the event.</summary>
public sealed class OnDegenerateTests : IDisposable
{
    private readonly TempFolder _work = new();

    public OnDegenerateTests()
    {
        var random = new Random(8);
        var x = new double[121];
        var y = new double[121];
        for (var i = 1; i < x.Length; i++) (x[i], y[i]) = (random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1);
        (x[0], y[0]) = (50, 50);
        TestParquet.Write(_work["data.parquet"], [("x", x), ("y", y)]);
        File.WriteAllText(_work["start.json"], """
            { "format": "distributed-gmm/1", "covariance_type": "diag", "columns": ["x", "y"], "weights": [0.5, 0.5],
              "means": [[0.1, 0.1], [50, 50]], "covariances": [[1, 1], [1, 1]] }
            """);
    }

    public void Dispose() => _work.Dispose();

    private Gmm.Result Fit(string policy) => Gmm.Run(_work.Path, "fit", _work["data.parquet"], "--init-model", "start.json", "--reg-covar", "0",
        "--max-iter", "5", "--on-degenerate", policy, "--quiet", "--out", $"{policy}.json");

    [Fact]
    public void Error_stops_with_exit_2_naming_the_component()
    {
        var result = Fit("error");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("component 1 collapsed", result.Stderr);
        Assert.False(File.Exists(_work["error.json"]));
    }

    [Theory]
    [InlineData("reseed", 2, "reseeded at the row of lowest log-likelihood")]
    [InlineData("drop", 1, "dropped")]
    public void Reseed_and_drop_go_on_and_report_the_event(string policy, int components, string said)
    {
        var result = Fit(policy);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"gmm: warning: iteration 1: component 1 collapsed (its covariance is not positive definite) and was {said}", result.Stderr);
        using var model = JsonDocument.Parse(File.ReadAllText(_work[$"{policy}.json"]));
        var root = model.RootElement;
        Assert.Equal(components, root.GetProperty("n_components").GetInt32());
        var first = root.GetProperty("degenerate_events")[0];
        Assert.Equal((1, 1, policy), (first.GetProperty("iteration").GetInt32(), first.GetProperty("component").GetInt32(), first.GetProperty("action").GetString()));
        Assert.Equal(policy, root.GetProperty("settings").GetProperty("on_degenerate").GetString());
    }

    [Fact]
    public void An_unknown_policy_is_a_usage_error()
    {
        var result = Fit("ignore");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--on-degenerate must be error, reseed or drop, got 'ignore'", result.Stderr);
    }
}
