namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>Jobs that end normally leave every process's log free of errors, stack traces and lost workers.</summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class CleanLogTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private static void Clean(GmmProcess process)
    {
        foreach (var noise in new[] { "ERROR", "   at ", "was lost", "Disassociated" })
            Assert.False(process.Stderr.Contains(noise, StringComparison.Ordinal), $"'{noise}' in\n{process}");
    }

    [Fact(Timeout = 240_000)]
    public async Task A_fit_a_score_and_a_predict_that_end_normally_log_no_error_anywhere()
    {
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        string[] cluster = ["--cluster", "--seed-nodes", nodes.SeedNodes, "--min-workers", "2", "--shard-rows", "500"];
        string[][] jobs =
        [
            ["fit", data.Directory, "-k", "3", "--seed", "3", "--out", "model.json", .. cluster],
            ["score", data.Directory, "--model", "model.json", .. cluster],
            ["predict", data.Directory, "--model", "model.json", "--out", "predictions", .. cluster],
        ];
        foreach (var job in jobs)
        {
            using var coordinator = new GmmProcess(_work.Path, job);
            Assert.True(await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, coordinator.ToString());
            Clean(coordinator);
        }
        // The nodes have seen every coordinator go: their logs are complete for these jobs.
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var node in nodes.Nodes) Clean(node);
    }
}
