using System.Globalization;
using Akka.Configuration;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// A cluster node's settings: the flags (<see cref="NodeSettings"/>), else the environment (<c>GMM_HOST</c>,
/// <c>GMM_BIND_HOST</c>, <c>GMM_PORT</c>, <c>GMM_SEED_NODES</c>), else the user's file (<c>config/gmm.conf</c> beside the
/// program, else the copy embedded in this assembly, or the file named by <c>--config</c>/<c>GMM_CONFIG</c>), over
/// <see cref="NodeDefaults"/>.
/// </summary>
public static class ClusterConfig
{
    public const string SystemName = "gmm";
    public const string WorkerRole = "worker";
    public const string CoordinatorRole = "coordinator";

    /// <summary>The name of the long-lived actor on every worker node that coordinators ask to join a fit.</summary>
    public const string NodeActorName = "gmm-node";

    public static ClusterNode Load(NodeSettings settings) => Load(settings, Environment.GetEnvironmentVariable);

    public static ClusterNode Load(NodeSettings settings, Func<string, string?> environment)
    {
        var file = ConfigurationFactory.ParseString(FileText(settings.ConfigFile ?? Blank(environment("GMM_CONFIG"))));
        var seeds = settings.SeedNodes ?? (Blank(environment("GMM_SEED_NODES")) is { } s ? ParseSeedNodes(s) : null);
        return new ClusterNode
        {
            Role = settings.Role,
            Host = settings.Host ?? Blank(environment("GMM_HOST")),
            BindHost = settings.BindHost ?? Blank(environment("GMM_BIND_HOST")),
            Port = settings.Port ?? (Blank(environment("GMM_PORT")) is { } p ? ParsePort(p) : null),
            SeedNodes = seeds ?? (file.HasPath(SeedNodesPath) ? [.. file.GetStringList(SeedNodesPath)] : []),
            UserConfig = file,
        };
    }

    private const string SeedNodesPath = "akka.cluster.seed-nodes";

    /// <summary>The text of the node configuration: <paramref name="path"/>, else config/gmm.conf beside the program, else the embedded copy.</summary>
    public static string FileText(string? path = null)
    {
        if (path is not null)
            return File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"configuration file {path} does not exist");
        var beside = Path.Combine(AppContext.BaseDirectory, "config", "gmm.conf");
        if (File.Exists(beside)) return File.ReadAllText(beside);
        using var stream = typeof(ClusterConfig).Assembly.GetManifestResourceStream("DistributedGmm.gmm.conf")
            ?? throw new InvalidOperationException("the embedded gmm.conf is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<string> ParseSeedNodes(string text)
    {
        var seeds = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var seed in seeds)
            if (!seed.StartsWith($"akka.tcp://{SystemName}@", StringComparison.Ordinal) || !Uri.TryCreate(seed, UriKind.Absolute, out var uri) || uri.Port <= 0)
                throw new ArgumentException($"seed node '{seed}' must look like akka.tcp://{SystemName}@host:port");
        return seeds;
    }

    public static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ArgumentException($"port must be a number from 0 to 65535, got '{text}'");

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
