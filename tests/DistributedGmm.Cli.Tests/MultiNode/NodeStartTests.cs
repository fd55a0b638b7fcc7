using DistributedGmm.Data.Tests.Support;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// A node that cannot take its place fails at start with one line and a documented exit code (2: a wrong
/// argument; 3: the cluster cannot do the job), never an Akka stack trace, never running on regardless.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class NodeStartTests : IDisposable
{
    private readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    private static void OneLineError(Gmm.Result result, int exitCode, string text)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.StartsWith("gmm: error: ", lines[0]);
        Assert.Contains(text, lines[0]);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_second_node_on_a_port_in_use_fails_at_start_and_the_first_keeps_serving()
    {
        using var nodes = new WorkerNodes(_work.Path);
        var first = await nodes.StartAsync();
        var second = Gmm.Run(_work.Path, "node", "--role", "worker", "--port", $"{nodes.SeedPort}", "--seed-nodes", nodes.SeedNodes);
        OneLineError(second, 3, $"port {nodes.SeedPort} on 127.0.0.1 is already in use");
        Assert.False(first.HasExited, first.ToString());
    }

    [Fact] // Gmm.Run bounds the process itself
    public void A_ready_file_that_cannot_be_written_fails_at_once() =>
        OneLineError(Gmm.Run(_work.Path, "node", "--port", "0", "--seed-nodes", "akka.tcp://gmm@127.0.0.1:1", "--ready-file", "/nope/x"), 2, "--ready-file /nope/x");

    [Fact] // Gmm.Run bounds the process itself
    public void A_host_that_does_not_resolve_fails_at_once() =>
        OneLineError(Gmm.Run(_work.Path, "node", "--host", "no.such.host.invalid", "--seed-nodes", "akka.tcp://gmm@127.0.0.1:1"), 2, "no.such.host.invalid");

    [Fact] // Gmm.Run bounds the process itself
    public void A_bind_address_not_on_this_machine_fails_at_once_without_traffic() =>
        // Binding fails locally (EADDRNOTAVAIL) before any packet could leave.
        OneLineError(Gmm.Run(_work.Path, "node", "--bind-host", "8.8.8.8", "--seed-nodes", "akka.tcp://gmm@127.0.0.1:1"), 2, "cannot listen on 8.8.8.8");

    [Fact] // Gmm.Run bounds the process itself
    public void A_fit_with_no_worker_behind_its_seed_exits_3()
    {
        var generate = Gmm.Run(_work.Path, "generate", "--out", "data", "--rows", "2000", "--dims", "2", "--components", "2", "--seed", "1");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var seed = $"akka.tcp://gmm@127.0.0.1:{LoopbackPorts.Claim()}"; // nobody listens there
        var fit = Gmm.Run(_work.Path, "fit", "data", "-k", "2", "--out", "m.json", "--cluster", "--seed-nodes", seed, "--join-timeout", "3s");
        Assert.True(fit.ExitCode == 3, fit.ToString());
        Assert.Contains("gmm: error: only 0 of 1 worker node(s) joined within 3 s", fit.Stderr);
        Assert.DoesNotContain("   at ", fit.Stderr);
        Assert.False(File.Exists(_work["m.json"]));
    }
}
