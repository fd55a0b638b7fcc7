using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cli.Tests;

/// <summary><c>gmm demo</c>: both datasets fitted, tabled and drawn, quickly.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Demo_fits_both_datasets_and_writes_models_and_figures()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var demo = Gmm.Run(_work.Path, "demo", "--out", "demo", "--rows", "20000");
        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"demo took {clock.Elapsed}");
        foreach (var name in new[] { "seed-example", "synthetic" })
        {
            Assert.Equal(name == "seed-example" ? 2 : 4, ModelFile.Read(_work[$"demo/{name}.model.json"]).Mixture.Components);
            EndToEndTests.AssertPng(_work[$"demo/{name}.png"], 900, 700);
            EndToEndTests.AssertPng(_work[$"demo/{name}-convergence.png"], 900, 700);
            Assert.Contains($"demo/{name}.png", demo.Stdout);
        }
    }
}
