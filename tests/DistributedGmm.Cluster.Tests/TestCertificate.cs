using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistributedGmm.Cluster.Tests;

/// <summary>A self-signed PKCS#12 certificate made for one test run (never a committed private key).</summary>
internal sealed class TestCertificate : IDisposable
{
    public TestCertificate(string password = "test-password", string subject = "CN=gmm-test")
    {
        Password = password;
        Directory = System.IO.Directory.CreateTempSubdirectory("gmm-tls-tests-").FullName;
        Path = System.IO.Path.Combine(Directory, "node.pfx");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false)); // server and client authentication
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, password));
    }

    public string Directory { get; }
    public string Path { get; }
    public string Password { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
