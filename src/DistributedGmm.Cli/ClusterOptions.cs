using System.CommandLine;
using System.Globalization;
using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;

namespace DistributedGmm.Cli;

/// <summary>
/// The options of a cluster node (<c>gmm node</c>, <c>gmm fit --cluster</c>): where it listens, whom it joins,
/// which configuration it loads. Flags win over the environment (GMM_HOST, GMM_PORT, …), which wins over config/gmm.conf.
/// </summary>
internal sealed class ClusterOptions
{
    public Option<string?> SeedNodes { get; } = new("--seed-nodes") { Description = "Comma-separated seed nodes, akka.tcp://gmm@host:port (default: GMM_SEED_NODES)" };
    public Option<string?> Host { get; } = new("--host") { Description = "Hostname other nodes reach this one by (default: GMM_HOST, else 127.0.0.1)" };
    public Option<string?> BindHost { get; } = new("--bind-host") { Description = "Address to bind when it differs from --host, e.g. 0.0.0.0 in a container (default: GMM_BIND_HOST)" };
    public Option<int?> Port { get; } = new("--port") { Description = "TCP port (default: GMM_PORT, else 0: any free port)" };
    public Option<string?> ConfigFile { get; } = new("--config") { Description = "HOCON file to load instead of config/gmm.conf (default: GMM_CONFIG)" };

    public Option<string?> TlsCertificate { get; } = new("--tls-certificate") { Description = "TLS between nodes with this PKCS#12 (PFX) certificate; every node needs it (default: GMM_TLS_CERTIFICATE)" };
    public Option<string?> TlsPasswordEnv { get; } = new("--tls-password-env") { Description = "Environment variable holding the certificate's password (default: GMM_TLS_PASSWORD)" };
    public Option<bool> TlsSuppressValidation { get; } = new("--tls-suppress-validation") { Description = "Skip the peer's chain validation, for a self-signed certificate; peers must still present this node's certificate (also GMM_TLS_SUPPRESS_VALIDATION=1)" };
    public Option<string?> TlsPeerFingerprints { get; } = new("--tls-peer-fingerprints") { Description = "Comma-separated SHA-256 fingerprints of other certificates to admit beside this node's own (default: GMM_TLS_PEER_FINGERPRINTS)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { SeedNodes, Host, BindHost, Port, ConfigFile, TlsCertificate, TlsPasswordEnv, TlsSuppressValidation, TlsPeerFingerprints })
            command.Options.Add(option);
    }

    public ClusterNode Load(ParseResult r, string role)
    {
        try
        {
            var node = ClusterConfig.Load(new NodeSettings
            {
                Role = role,
                Host = r.GetValue(Host),
                BindHost = r.GetValue(BindHost),
                Port = r.GetValue(Port) is { } port ? ClusterConfig.ParsePort(port.ToString(CultureInfo.InvariantCulture)) : null,
                SeedNodes = r.GetValue(SeedNodes) is { } seeds ? ClusterConfig.ParseSeedNodes(seeds) : null,
                ConfigFile = r.GetValue(ConfigFile),
            });
            node = node with
            {
                Tls = TlsConfig.Resolve(r.GetValue(TlsCertificate), r.GetValue(TlsPasswordEnv),
                    r.GetValue(TlsSuppressValidation), Environment.GetEnvironmentVariable, r.GetValue(TlsPeerFingerprints)),
            };
            if (node.SeedNodes.Count == 0)
                throw new UsageException("no seed nodes: give --seed-nodes akka.tcp://gmm@host:port[,...] or set GMM_SEED_NODES");
            return node;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or ConfigurationException)
        {
            throw new UsageException(e.Message);
        }
    }

    public static TimeSpan ParseDuration(string text, string option)
    {
        var t = text.Trim();
        var (number, milliseconds) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60_000.0)
            : (t.TrimEnd('s'), 1_000.0);
        // Positive and finite in every unit: NaN, infinity or an overflow would otherwise escape as TimeSpan's own exception.
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value > 0 && value * milliseconds < TimeSpan.MaxValue.TotalMilliseconds)
            return TimeSpan.FromMilliseconds(value * milliseconds);
        throw new UsageException($"{option} must be a duration such as 60s, 500ms or 2m, got '{text}'");
    }
}
