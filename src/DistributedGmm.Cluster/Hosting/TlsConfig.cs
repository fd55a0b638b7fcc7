using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// Akka's dot-netty TLS with mutual authentication, configured programmatically (<see cref="DotNettySslSetup"/>)
/// so that a <see cref="PeerCertificatePolicy"/> decides every handshake: a peer gets in only with this node's own
/// certificate (or a listed fingerprint), whatever the chain validation. The HOCON carries
/// <c>akka.remote.dot-netty.tcp.enable-ssl</c> and the <c>gmm.tls</c> keys <see cref="Setup"/> reads; a system created
/// from that config without the setup finds no certificate and fails to start rather than run unpinned.
/// Environment: <c>GMM_TLS_CERTIFICATE</c>, <c>GMM_TLS_PASSWORD</c>, <c>GMM_TLS_SUPPRESS_VALIDATION</c> (1/true),
/// <c>GMM_TLS_PEER_FINGERPRINTS</c>.
/// </summary>
public static class TlsConfig
{
    public const string DefaultPasswordVariable = "GMM_TLS_PASSWORD";

    /// <summary>
    /// The TLS settings the flags (null: not given) and the environment ask for; null without a certificate. The
    /// password is read from the environment variable <paramref name="passwordVariable"/> (default GMM_TLS_PASSWORD).
    /// Throws <see cref="ArgumentException"/> with a message fit for a user when the file or the password is wrong.
    /// </summary>
    public static TlsSettings? Resolve(string? certificate, string? passwordVariable, bool suppressValidation, Func<string, string?> environment,
        string? peerFingerprints = null)
    {
        certificate ??= ClusterConfig.Blank(environment("GMM_TLS_CERTIFICATE"));
        if (certificate is null)
        {
            if (passwordVariable is not null) throw new ArgumentException("--tls-password-env needs --tls-certificate (or GMM_TLS_CERTIFICATE)");
            return null;
        }
        var variable = passwordVariable ?? DefaultPasswordVariable;
        var password = environment(variable) ?? "";
        var path = Path.GetFullPath(certificate);
        if (!File.Exists(path)) throw new ArgumentException($"TLS certificate {certificate} does not exist");
        try
        {
            using var loaded = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
            if (!loaded.HasPrivateKey) throw new ArgumentException($"TLS certificate {certificate} holds no private key (a PFX with its key is needed)");
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"TLS certificate {certificate} cannot be opened with the password in ${variable} ({e.Message.Trim()})");
        }
        var suppress = suppressValidation || ClusterConfig.Blank(environment("GMM_TLS_SUPPRESS_VALIDATION")) is "1" or "true" or "yes";
        var fingerprints = (peerFingerprints ?? ClusterConfig.Blank(environment("GMM_TLS_PEER_FINGERPRINTS")) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(PeerCertificatePolicy.NormalizeFingerprint).ToArray();
        return new TlsSettings(path, password, suppress, fingerprints);
    }

    /// <summary>The HOCON that turns TLS on; the certificate itself reaches the transport through <see cref="Setup"/>.</summary>
    public static string Hocon(TlsSettings tls) => $$"""
        akka.remote.dot-netty.tcp.enable-ssl = true
        gmm.tls {
          certificate = {{ClusterConfig.Quote(tls.CertificatePath)}}
          password = {{ClusterConfig.Quote(tls.Password)}}
          suppress-validation = {{(tls.SuppressValidation ? "true" : "false")}}
          peer-fingerprints = [{{string.Join(", ", tls.PeerFingerprints.Select(ClusterConfig.Quote))}}]
        }
        """;

    /// <summary>
    /// How to create an actor system from <paramref name="config"/>: the config, and with TLS on the
    /// <see cref="DotNettySslSetup"/> holding the certificate, mutual authentication and the pinning
    /// <see cref="PeerCertificatePolicy"/>. Akka 1.5's transport offers TLS 1.0 to 1.2 only (DotNetty's fixed
    /// protocol list), so no TLS 1.3 until the transport takes a protocol setting.
    /// </summary>
    public static ActorSystemSetup Setup(Config config)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        if (!config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl", false)) return ActorSystemSetup.Create(bootstrap);
        var path = config.GetString("gmm.tls.certificate", null)
            ?? throw new ConfigurationException("akka.remote.dot-netty.tcp.enable-ssl is on but gmm.tls.certificate is not set: give --tls-certificate");
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, config.GetString("gmm.tls.password", ""), X509KeyStorageFlags.DefaultKeySet);
        var policy = new PeerCertificatePolicy(certificate, config.GetStringList("gmm.tls.peer-fingerprints", []),
            validateChain: !config.GetBoolean("gmm.tls.suppress-validation", false));
        var ssl = new DotNettySslSetup(certificate, suppressValidation: !policy.ValidateChain, requireMutualAuthentication: true, policy.Callback);
        return ActorSystemSetup.Create(bootstrap, ssl);
    }

    /// <summary>An actor system named <paramref name="name"/> over <paramref name="config"/>, with TLS as <see cref="Setup"/> makes it.</summary>
    public static ActorSystem CreateSystem(string name, Config config) => ActorSystem.Create(name, Setup(config));

    /// <summary>
    /// <paramref name="config"/> with TLS on (unchanged for null). A TLS node's address is <c>akka.ssl.tcp://…</c>, so
    /// seed nodes given as <c>akka.tcp://…</c> (the form every flag and variable takes) are rewritten to it.
    /// </summary>
    public static Config Apply(Config config, TlsSettings? tls)
    {
        if (tls is null) return config;
        var hocon = Hocon(tls);
        if (config.HasPath("akka.cluster.seed-nodes"))
        {
            var seeds = config.GetStringList("akka.cluster.seed-nodes").Select(s =>
                s.StartsWith(PlainScheme, StringComparison.Ordinal) ? TlsScheme + s[PlainScheme.Length..] : s);
            hocon += $"\nakka.cluster.seed-nodes = [{string.Join(", ", seeds.Select(ClusterConfig.Quote))}]";
        }
        return ConfigurationFactory.ParseString(hocon).WithFallback(config);
    }

    private const string PlainScheme = "akka.tcp://";
    private const string TlsScheme = "akka.ssl.tcp://";
}
