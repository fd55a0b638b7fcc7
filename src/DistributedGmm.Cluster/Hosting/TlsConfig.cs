using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>TLS between nodes: a PKCS#12 (PFX) certificate with its private key, and its password (never on a command line).</summary>
public sealed record TlsSettings(string CertificatePath, string Password, bool SuppressValidation)
{
    /// <summary>Not the password: settings end up in logs and exception messages.</summary>
    public override string ToString() => $"TLS with {CertificatePath}{(SuppressValidation ? " (chain validation suppressed)" : "")}";
}

/// <summary>
/// Akka's dot-netty TLS (<c>akka.remote.dot-netty.tcp.enable-ssl</c>, <c>ssl.certificate.path/password</c>,
/// <c>ssl.suppress-validation</c>; mutual authentication stays on, Akka's default): every node of a TLS cluster
/// presents the certificate and requires one from its peers, so a node without it cannot connect, let alone join.
/// Environment: <c>GMM_TLS_CERTIFICATE</c>, <c>GMM_TLS_PASSWORD</c>, <c>GMM_TLS_SUPPRESS_VALIDATION</c> (1/true).
/// </summary>
public static class TlsConfig
{
    public const string DefaultPasswordVariable = "GMM_TLS_PASSWORD";

    /// <summary>
    /// The TLS settings the flags (null: not given) and the environment ask for; null without a certificate. The
    /// password is read from the environment variable <paramref name="passwordVariable"/> (default GMM_TLS_PASSWORD).
    /// Throws <see cref="ArgumentException"/> with a message fit for a user when the file or the password is wrong.
    /// </summary>
    public static TlsSettings? Resolve(string? certificate, string? passwordVariable, bool suppressValidation, Func<string, string?> environment)
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
        return new TlsSettings(path, password, suppress);
    }

    /// <summary>The HOCON that turns TLS on.</summary>
    public static string Hocon(TlsSettings tls) => $$"""
        akka.remote.dot-netty.tcp {
          enable-ssl = true
          ssl {
            certificate {
              path = {{ClusterConfig.Quote(tls.CertificatePath)}}
              password = {{ClusterConfig.Quote(tls.Password)}}
            }
            suppress-validation = {{(tls.SuppressValidation ? "true" : "false")}}
            require-mutual-authentication = true
          }
        }
        """;

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
