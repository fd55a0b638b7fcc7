namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// The fleet outlives its jobs: worker nodes stay the same processes while coordinators come, finish, or are
/// killed; a worker killed on a saturated machine costs the fit time, never the coordinator or the result.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class FleetTests(SlowData slow) : IClassFixture<SlowData>, IDisposable
{
    private static readonly TimeSpan FitTimeout = TimeSpan.FromSeconds(150);
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private string[] SlowFit(string output, int iterations) =>
        [slow.Directory, "-k", "8", "--seed", "1", "--tol", "0", "--max-iter", $"{iterations}", "--shard-rows", "5000", "--out", output];

    private void Embedded(string[] fit)
    {
        var result = Gmm.Run(_work.Path, ["fit", .. fit, "--quiet"]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private GmmProcess Coordinator(WorkerNodes nodes, string[] fit, params string[] extra) =>
        new(_work.Path, ["fit", .. fit, "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0", "--join-timeout", "40s", .. extra]);

    [Fact(Timeout = 240_000)]
    public async Task A_worker_killed_on_a_saturated_machine_costs_time_not_the_coordinator_or_the_result()
    {
        const int iterations = 100;
        Embedded(SlowFit("embedded.json", iterations));
        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync();
        await nodes.StartAsync();
        using var burners = new CpuBurners(TimeSpan.FromSeconds(100));
        using var coordinator = Coordinator(nodes, SlowFit("cluster.json", iterations), "--min-workers", "2");
        await coordinator.WaitForStderrAsync("iteration 2:", FitTimeout);
        nodes.Nodes[1].Signal("KILL");
        var exit = await coordinator.WaitForExitAsync(FitTimeout);
        Assert.True(exit == 0, coordinator.ToString());
        MultiNodeTests.AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
        Assert.DoesNotContain("downed", coordinator.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.False(nodes.Nodes[0].HasExited, nodes.Nodes[0].ToString());
        Assert.False(nodes.Nodes[0].Stderr.Contains("removed from the cluster", StringComparison.Ordinal), nodes.Nodes[0].ToString());
    }

    [Fact(Timeout = 400_000)]
    public async Task Three_workers_serve_a_dozen_coordinators_some_killed_and_stay_the_same_processes()
    {
        const int iterations = 20;
        Embedded(SlowFit("embedded.json", iterations));
        using var nodes = new WorkerNodes(_work.Path);
        for (var i = 0; i < 3; i++) await nodes.StartAsync();
        var pids = nodes.Nodes.Select(n => n.Id).ToArray();
        // Coordinators that were not killed leave and are removed, even right after a killed one: none is downed.
        var leavers = new List<string>();
        for (var job = 0; job < 12; job++)
        {
            switch (job % 3)
            {
                case 1: // SIGKILLed mid-fit: never leaves, the cluster downs and removes it
                {
                    using var killed = Coordinator(nodes, SlowFit($"killed{job}.json", 1000), "--min-workers", "3");
                    await killed.WaitForStderrAsync("iteration 1:", FitTimeout);
                    killed.Signal("KILL");
                    await killed.WaitForExitAsync(TimeSpan.FromSeconds(30));
                    break;
                }
                case 2: // SIGTERM mid-fit: cancels, leaves, exits 130
                {
                    using var stopped = Coordinator(nodes, SlowFit($"stopped{job}.json", 1000), "--min-workers", "3");
                    await stopped.WaitForStderrAsync("iteration 1:", FitTimeout);
                    stopped.Signal("TERM");
                    Assert.True(await stopped.WaitForExitAsync(FitTimeout) == 130, stopped.ToString());
                    leavers.Add(CoordinatorAddress(stopped.Stderr));
                    break;
                }
                default: // runs to the end and equals its embedded twin
                {
                    using var finished = Coordinator(nodes, SlowFit($"fit{job}.json", iterations), "--min-workers", "3");
                    Assert.True(await finished.WaitForExitAsync(FitTimeout) == 0, finished.ToString());
                    MultiNodeTests.AssertSameModel(_work["embedded.json"], _work[$"fit{job}.json"]);
                    leavers.Add(CoordinatorAddress(finished.Stderr));
                    break;
                }
            }
        }
        Assert.Equal(pids, nodes.Nodes.Select(n => n.Id).ToArray());
        foreach (var node in nodes.Nodes)
        {
            Assert.False(node.HasExited, node.ToString());
            Assert.False(node.Stderr.Contains("removed from the cluster", StringComparison.Ordinal), node.ToString());
            foreach (var address in leavers)
                Assert.False(node.Stderr.Contains($"coordinator {address} unreachable", StringComparison.Ordinal), $"{address} was downed, not removed: {node}");
        }
    }

    /// <summary>The address a coordinator announces on stderr (<c>gmm: coordinator at akka.tcp://…; waiting …</c>).</summary>
    private static string CoordinatorAddress(string stderr) =>
        System.Text.RegularExpressions.Regex.Match(stderr, @"coordinator at (akka\.tcp://\S+);") is { Success: true } m
            ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"no coordinator address in: {stderr}");

    [Fact(Timeout = 300_000)]
    public async Task A_coordinator_that_joins_through_a_seed_resuming_from_a_pause_still_fits_the_embedded_model()
    {
        const int iterations = 20;
        Embedded(SlowFit("embedded.json", iterations));
        using var nodes = new WorkerNodes(_work.Path);
        for (var i = 0; i < 3; i++) await nodes.StartAsync();
        var seed = nodes.Nodes[0];
        seed.Signal("STOP");
        try
        {
            // The others down the paused seed; a coordinator that knows only the seed waits for it, and the seed,
            // resumed, still takes itself for a member: the coordinator joins its stale view and is downed with it.
            // Only the leader of the others (the lower address) logs the resolver's decision.
            await Task.WhenAny(nodes.Nodes.Skip(1).Select(n => n.WaitForStderrAsync("SBR took decision", FitTimeout))).Unwrap();
            using var coordinator = Coordinator(nodes, SlowFit("cluster.json", iterations), "--min-workers", "2");
            await coordinator.WaitForStderrAsync("coordinator at", FitTimeout);
            seed.Signal("CONT");
            Assert.True(await coordinator.WaitForExitAsync(FitTimeout) == 0, coordinator.ToString());
            MultiNodeTests.AssertSameModel(_work["embedded.json"], _work["cluster.json"]);
        }
        finally
        {
            seed.Signal("CONT");
        }
        await seed.WaitForStderrAsync("joining again", FitTimeout);
        Assert.False(seed.HasExited, seed.ToString());
    }
}
