using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Remote.Hosting;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// Akka's dot-netty TLS with mutual authentication, configured through Akka.Hosting's typed remoting options so
/// that a <see cref="PeerCertificatePolicy"/> decides every handshake: a peer gets in only with this node's own
/// certificate (or a listed fingerprint), whatever the chain validation. The certificate never goes into HOCON.
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

    /// <summary>
    /// The transport's TLS (<see cref="RemoteOptions.Ssl"/>): the certificate, mutual authentication, and the pinning
    /// <see cref="PeerCertificatePolicy"/> deciding every handshake. Akka 1.5's transport offers TLS 1.0 to 1.2 only
    /// (DotNetty's fixed protocol list), so no TLS 1.3 until the transport takes a protocol setting.
    /// </summary>
    public static SslOptions Ssl(TlsSettings tls)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.Password, X509KeyStorageFlags.DefaultKeySet);
        var policy = new PeerCertificatePolicy(certificate, tls.PeerFingerprints, validateChain: !tls.SuppressValidation);
        return new SslOptions
        {
            X509Certificate = certificate,
            SuppressValidation = !policy.ValidateChain,
            RequireMutualAuthentication = true,
            CustomValidator = policy.Callback,
        };
    }

    /// <summary>
    /// The seed nodes a node joins: with TLS its peers' addresses are <c>akka.ssl.tcp://…</c>, so seeds given as
    /// <c>akka.tcp://…</c> (the form every flag and variable takes) are rewritten to it.
    /// </summary>
    public static IEnumerable<string> Seeds(IEnumerable<string> seeds, TlsSettings? tls) => tls is null
        ? seeds
        : seeds.Select(s => s.StartsWith(PlainScheme, StringComparison.Ordinal) ? TlsScheme + s[PlainScheme.Length..] : s);

    private const string PlainScheme = "akka.tcp://";
    private const string TlsScheme = "akka.ssl.tcp://";
}
