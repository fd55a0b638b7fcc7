using DistributedGmm.Data.Tests.Support;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>Worker nodes on loopback for one test, the first one the seed; all killed on Dispose.</summary>
internal sealed class WorkerNodes(string workingDirectory) : IDisposable
{
    private readonly List<GmmProcess> _nodes = [];

    public int SeedPort { get; } = LoopbackPorts.Claim();
    public string SeedNodes => $"akka.tcp://gmm@127.0.0.1:{SeedPort}";
    public IReadOnlyList<GmmProcess> Nodes => _nodes;

    /// <summary>Starts a worker node (the first on the seed port) and waits until it is Up.</summary>
    public Task<GmmProcess> StartAsync(params string[] extra) => StartAsync(new Dictionary<string, string>(), extra);

    /// <summary>As <see cref="StartAsync(string[])"/>, with <paramref name="environment"/> set for the node.</summary>
    public async Task<GmmProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var port = _nodes.Count == 0 ? SeedPort : LoopbackPorts.Claim();
        var node = new GmmProcess(workingDirectory, environment, ["node", "--role", "worker", "--port", $"{port}", "--seed-nodes", SeedNodes, .. extra]);
        _nodes.Add(node);
        await node.WaitForStderrAsync("gmm node: up at", TimeSpan.FromSeconds(40));
        return node;
    }

    public void Dispose()
    {
        foreach (var node in _nodes) node.Dispose();
    }
}
