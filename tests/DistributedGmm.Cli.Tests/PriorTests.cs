using System.Text.Json;

namespace DistributedGmm.Cli.Tests;

/// <summary><c>--prior</c> end to end: the options reach the fit and the model file, select ranks MAP fits by BIC.</summary>
public sealed class PriorTests : IDisposable
{
    private readonly TempFolder _work = new();

    public PriorTests()
    {
        var (x, y, w) = WeightColumnTests.Data();
        TestParquet.Write(_work["data.parquet"], [("x", x), ("y", y), ("w", w)]);
    }

    public void Dispose() => _work.Dispose();

    private Gmm.Result Ok(params string[] args)
    {
        var result = Gmm.Run(_work.Path, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public void The_prior_and_its_settings_are_recorded_and_reg_covar_defaults_to_0()
    {
        Ok("fit", _work["data.parquet"], "-k", "2", "--columns", "x,y", "--prior", "--quiet", "--out", "default.json");
        Ok("fit", _work["data.parquet"], "-k", "2", "--columns", "x,y", "--covariance", "diag", "--prior-shrinkage", "0.5", "--prior-dof", "7",
            "--prior-scale", "0.25", "--quiet", "--out", "set.json");
        Ok("fit", _work["data.parquet"], "-k", "2", "--columns", "x,y", "--quiet", "--out", "plain.json");

        using var byDefault = JsonDocument.Parse(File.ReadAllText(_work["default.json"]));
        var root = byDefault.RootElement;
        Assert.Equal(0, root.GetProperty("settings").GetProperty("reg_covar").GetDouble());
        var settings = root.GetProperty("settings").GetProperty("prior");
        Assert.Equal(0.01, settings.GetProperty("shrinkage").GetDouble());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("dof").ValueKind);
        var prior = root.GetProperty("prior");
        Assert.Equal(4, prior.GetProperty("dof").GetDouble()); // d + 2
        Assert.Equal(2, prior.GetProperty("scale").GetArrayLength()); // d × d for full

        using var set = JsonDocument.Parse(File.ReadAllText(_work["set.json"]));
        var given = set.RootElement.GetProperty("prior");
        Assert.Equal((0.5, 7.0, 0.25), (given.GetProperty("shrinkage").GetDouble(), given.GetProperty("dof").GetDouble(), given.GetProperty("scale").GetDouble()));

        using var plain = JsonDocument.Parse(File.ReadAllText(_work["plain.json"]));
        Assert.False(plain.RootElement.TryGetProperty("prior", out _));
        Assert.False(plain.RootElement.GetProperty("settings").TryGetProperty("prior", out _));
    }

    [Fact]
    public void Select_takes_the_prior_and_the_weight_column()
    {
        var result = Ok("select", _work["data.parquet"], "-k", "1..3", "--columns", "x,y", "--weight-column", "w", "--prior", "--quiet", "--json", "--out", "best.json");
        using var report = JsonDocument.Parse(result.Stdout);
        var candidates = report.RootElement.GetProperty("candidates").EnumerateArray().ToArray();
        Assert.Equal(12, candidates.Length); // K 1..3 × the four covariance types
        var best = candidates.MinBy(c => c.GetProperty("bic").GetDouble());
        using var model = JsonDocument.Parse(File.ReadAllText(_work["best.json"]));
        Assert.Equal(best.GetProperty("n_components").GetInt32(), model.RootElement.GetProperty("n_components").GetInt32());
        Assert.Equal("w", model.RootElement.GetProperty("weight_column").GetString());
        Assert.True(model.RootElement.TryGetProperty("prior", out _));
        // BIC with n = Σ w, from the plain log-likelihood of the MAP parameters (mclust's convention, our sign).
        var n = model.RootElement.GetProperty("n_samples").GetDouble();
        var root = model.RootElement;
        int k = root.GetProperty("n_components").GetInt32(), d = 2;
        var parameters = root.GetProperty("covariance_type").GetString() switch
        {
            "full" => k * d * (d + 1) / 2,
            "tied" => d * (d + 1) / 2,
            "diag" => k * d,
            _ => k,
        } + k * d + k - 1;
        var expected = -2 * root.GetProperty("log_likelihood").GetDouble() + parameters * Math.Log(n);
        Assert.Equal(expected, root.GetProperty("bic").GetDouble(), 1e-9 * Math.Abs(expected));
    }

    [Fact]
    public void A_bad_prior_option_is_a_usage_error()
    {
        var result = Gmm.Run(_work.Path, "fit", _work["data.parquet"], "-k", "2", "--columns", "x,y", "--prior-shrinkage", "-1", "--out", "m.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("prior-shrinkage", result.Stderr);
        result = Gmm.Run(_work.Path, "fit", _work["data.parquet"], "-k", "2", "--columns", "x,y", "--prior-dof", "0.5", "--out", "m.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("prior-dof", result.Stderr);
    }
}
