
namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// TLS between nodes: a PKCS#12 (PFX) certificate with its private key, its password (never on a command line),
/// whether the peer's chain is validated, and the SHA-256 fingerprints of other certificates admitted beside it.
/// </summary>
public sealed record TlsSettings(string CertificatePath, string Password, bool SuppressValidation, IReadOnlyList<string> PeerFingerprints)
{
    public TlsSettings(string certificatePath, string password, bool suppressValidation)
        : this(certificatePath, password, suppressValidation, []) { }

    /// <summary>Not the password: settings end up in logs and exception messages.</summary>
    public override string ToString() => $"TLS with {CertificatePath}{(SuppressValidation ? " (chain validation suppressed)" : "")}";
}
