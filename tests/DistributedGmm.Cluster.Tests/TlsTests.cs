using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using DistributedGmm.Cluster.Hosting;

namespace DistributedGmm.Cluster.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly TestCertificate _certificate = new();

    public void Dispose() => _certificate.Dispose();

    private Func<string, string?> Environment(string variable = TlsConfig.DefaultPasswordVariable) =>
        name => name == variable ? _certificate.Password : null;

    [Fact]
    public void No_certificate_no_tls()
    {
        Assert.Null(TlsConfig.Resolve(null, null, false, _ => null));
        var config = Node(null, ["akka.tcp://gmm@seed:4053"]).Config;
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(["akka.tcp://gmm@seed:4053"], config.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void The_certificate_and_the_password_from_the_environment_make_the_ssl_config()
    {
        var tls = TlsConfig.Resolve(_certificate.Path, "MY_PFX_PASSWORD", false, Environment("MY_PFX_PASSWORD"))!;
        var config = (Node(tls, ["akka.tcp://gmm@seed:4053", "akka.ssl.tcp://gmm@b:4053"]) with { Port = 4053 }).Config;
        Assert.Equal(["akka.ssl.tcp://gmm@seed:4053", "akka.ssl.tcp://gmm@b:4053"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
        // The certificate goes to the transport through the typed options, never through Akka's HOCON (which would
        // bypass the pinning policy), and the password appears nowhere.
        Assert.False(config.HasPath("akka.remote.dot-netty.tcp.ssl.certificate.path"));
        Assert.DoesNotContain(_certificate.Password, config.ToString());
        Assert.DoesNotContain(_certificate.Password, tls.ToString());
        var ssl = TlsConfig.Ssl(tls);
        Assert.True(ssl.X509Certificate!.HasPrivateKey);
        Assert.True(ssl.RequireMutualAuthentication);
        Assert.False(ssl.SuppressValidation);
        Assert.NotNull(ssl.CustomValidator);
    }

    [Fact]
    public void The_environment_alone_turns_tls_on()
    {
        var environment = new Dictionary<string, string>
        {
            ["GMM_TLS_CERTIFICATE"] = _certificate.Path, ["GMM_TLS_PASSWORD"] = _certificate.Password, ["GMM_TLS_SUPPRESS_VALIDATION"] = "1",
        };
        var tls = TlsConfig.Resolve(null, null, false, environment.GetValueOrDefault)!;
        Assert.Equal(_certificate.Path, tls.CertificatePath);
        Assert.True(tls.SuppressValidation);
    }

    [Fact]
    public void A_wrong_password_or_a_missing_file_is_a_clear_error()
    {
        var wrong = Assert.Throws<ArgumentException>(() => TlsConfig.Resolve(_certificate.Path, null, false, _ => "wrong"));
        Assert.Contains("cannot be opened with the password in $GMM_TLS_PASSWORD", wrong.Message);
        var missing = Assert.Throws<ArgumentException>(() => TlsConfig.Resolve("/nonexistent/node.pfx", null, false, Environment()));
        Assert.Contains("does not exist", missing.Message);
        Assert.Throws<ArgumentException>(() => TlsConfig.Resolve(null, "SOME_VAR", false, _ => null));
    }

    private static ClusterNode Node(TlsSettings? tls, IReadOnlyList<string>? seeds = null) => new()
    {
        Role = ClusterConfig.WorkerRole, Host = "127.0.0.1", Port = 0, SeedNodes = seeds ?? [], Tls = tls,
    };

    /// <summary>A node that never joins a cluster: only its transport is under test.</summary>
    private static ActorSystem Remote(TlsSettings? tls) => GmmActorSystem.Create("gmm", Node(tls));

    private TlsSettings Settings(TestCertificate certificate, bool suppressValidation, string? peerFingerprints = null) =>
        TlsConfig.Resolve(certificate.Path, null, suppressValidation, name => name == TlsConfig.DefaultPasswordVariable ? certificate.Password : null,
            peerFingerprints)!;

    /// <summary>
    /// Real handshakes over loopback between in-process systems: the cluster's own self-signed certificate gets
    /// in (chain validation suppressed), a foreign self-signed one does not, nor does a node without TLS, and with
    /// chain validation on an untrusted self-signed certificate does not either. A foreign certificate whose
    /// fingerprint is listed does.
    /// </summary>
    [Fact]
    public async Task Only_the_clusters_own_certificate_gets_in_whatever_the_mode()
    {
        using var foreign = new TestCertificate("other-password", "CN=gmm-test");
        using var server = Remote(Settings(_certificate, suppressValidation: true));
        using var own = Remote(Settings(_certificate, suppressValidation: true));
        using var stranger = Remote(Settings(foreign, suppressValidation: true));
        using var plain = Remote(null);
        using var validating = Remote(Settings(_certificate, suppressValidation: false));
        try
        {
            server.ActorOf(Props.Create(() => new Echo()), "echo");
            var path = $"{((ExtendedActorSystem)server).Provider.DefaultAddress}/user/echo";
            Assert.Equal("pong", await own.ActorSelection(path).Ask<string>("ping", TimeSpan.FromSeconds(20)));
            await Assert.ThrowsAnyAsync<Exception>(() => stranger.ActorSelection(path).Ask<string>("ping", TimeSpan.FromSeconds(3)));
            await Assert.ThrowsAnyAsync<Exception>(() => plain.ActorSelection(path).Ask<string>("ping", TimeSpan.FromSeconds(3)));
            await Assert.ThrowsAnyAsync<Exception>(() => validating.ActorSelection(path).Ask<string>("ping", TimeSpan.FromSeconds(3)));

            using var foreignCertificate = X509CertificateLoader.LoadPkcs12FromFile(foreign.Path, foreign.Password);
            using var admitting = Remote(Settings(_certificate, suppressValidation: true,
                PeerCertificatePolicy.Fingerprint(foreignCertificate)));
            admitting.ActorOf(Props.Create(() => new Echo()), "echo");
            var admittingPath = $"{((ExtendedActorSystem)admitting).Provider.DefaultAddress}/user/echo";
            // The stranger pins its own certificate too, so it refuses the admitting node's: admission is mutual.
            await Assert.ThrowsAnyAsync<Exception>(() => stranger.ActorSelection(admittingPath).Ask<string>("ping", TimeSpan.FromSeconds(3)));
            Assert.Equal("pong", await own.ActorSelection(admittingPath).Ask<string>("ping", TimeSpan.FromSeconds(20)));
            await admitting.Terminate();
        }
        finally
        {
            await Task.WhenAll(server.Terminate(), own.Terminate(), stranger.Terminate(), plain.Terminate(), validating.Terminate());
        }
    }

    /// <summary>
    /// With chain validation on, a certificate the machine trusts (the chain reports no error) is still refused
    /// unless it is the node's own or listed: two certificates issued by one CA.
    /// </summary>
    [Fact]
    public void With_chain_validation_a_certificate_of_the_same_ca_is_refused_unless_pinned()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=gmm-test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        X509Certificate2 Issue(string subject, int serial)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(6), [(byte)serial, 1, 2, 3]);
            return issued.CopyWithPrivateKey(key);
        }
        using var cluster = Issue("CN=gmm-node", 1);
        using var other = Issue("CN=gmm-node", 2);
        var policy = new PeerCertificatePolicy(cluster, [], validateChain: true);
        Assert.Null(policy.Refusal(cluster, SslPolicyErrors.None));
        Assert.Null(policy.Refusal(cluster, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.Contains("neither this node's", policy.Refusal(other, SslPolicyErrors.None));
        Assert.Contains("chain does not validate", policy.Refusal(cluster, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.NotNull(policy.Refusal(null, SslPolicyErrors.RemoteCertificateNotAvailable));
        var pinned = new PeerCertificatePolicy(cluster, [PeerCertificatePolicy.Fingerprint(other)], validateChain: true);
        Assert.Null(pinned.Refusal(other, SslPolicyErrors.None));
        var suppressed = new PeerCertificatePolicy(cluster, [], validateChain: false);
        Assert.Null(suppressed.Refusal(cluster, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.NotNull(suppressed.Refusal(other, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Peer_fingerprints_are_normalized_and_checked()
    {
        var colons = string.Join(":", Enumerable.Repeat("ab", 32));
        Assert.Equal(new string('A', 0) + string.Concat(Enumerable.Repeat("AB", 32)), PeerCertificatePolicy.NormalizeFingerprint(colons));
        var bad = Assert.Throws<ArgumentException>(() => TlsConfig.Resolve(_certificate.Path, null, false, Environment(), "abc"));
        Assert.Contains("'abc' is not a SHA-256 fingerprint", bad.Message);
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(_ => Sender.Tell("pong"));
    }
}
