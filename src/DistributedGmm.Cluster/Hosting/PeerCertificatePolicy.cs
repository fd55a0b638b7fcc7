using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// Which TLS peers a node admits: only a peer presenting the node's own certificate (the same DER bytes) or one
/// whose SHA-256 fingerprint is listed, and, unless chain validation is suppressed, whose chain the machine trusts.
/// A certificate is pinned in every mode, so neither a foreign self-signed certificate nor another certificate of
/// the same CA gets in. The handshake proves the peer holds the pinned certificate's private key.
/// </summary>
public sealed class PeerCertificatePolicy
{
    private readonly byte[] _own;
    private readonly HashSet<string> _fingerprints;

    public PeerCertificatePolicy(X509Certificate2 own, IEnumerable<string> peerFingerprints, bool validateChain)
    {
        _own = own.RawData;
        _fingerprints = new HashSet<string>(peerFingerprints.Select(NormalizeFingerprint), StringComparer.Ordinal);
        ValidateChain = validateChain;
    }

    public bool ValidateChain { get; }

    /// <summary>Null when <paramref name="peer"/> is admitted, else the one-line reason it is not.</summary>
    public string? Refusal(X509Certificate2? peer, SslPolicyErrors errors)
    {
        if (peer is null) return "it presented no certificate";
        var fingerprint = Fingerprint(peer);
        if (!peer.RawData.AsSpan().SequenceEqual(_own) && !_fingerprints.Contains(fingerprint))
            return $"its certificate ({peer.Subject}, sha256 {fingerprint}) is neither this node's nor one of --tls-peer-fingerprints";
        // A hostname mismatch is expected: nodes are reached by address and share one certificate.
        if (ValidateChain && (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) != SslPolicyErrors.None)
            return $"its certificate's chain does not validate ({errors}); add --tls-suppress-validation for a self-signed certificate";
        return null;
    }

    /// <summary>The callback Akka's DotNetty transport calls for every inbound and outbound handshake.</summary>
    public CertificateValidationCallback Callback => (certificate, _, peer, errors, log) =>
    {
        if (Refusal(certificate, errors) is not { } reason) return true;
        log.Warning("TLS peer {0} refused: {1}", peer, reason);
        return false;
    };

    /// <summary>The certificate's SHA-256 fingerprint as 64 upper-case hex digits (what <c>openssl x509 -fingerprint -sha256</c> prints, without colons).</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    /// <summary>Accepts <c>AB:CD:…</c> or plain hex; throws <see cref="ArgumentException"/> for anything but 32 bytes.</summary>
    public static string NormalizeFingerprint(string text)
    {
        var hex = new string(text.Where(c => c != ':' && !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new ArgumentException($"TLS peer fingerprint '{text}' is not a SHA-256 fingerprint (64 hex digits, colons allowed)");
        return hex;
    }
}
