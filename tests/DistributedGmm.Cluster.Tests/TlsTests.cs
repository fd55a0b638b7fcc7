using Akka.Actor;
using Akka.Configuration;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Tests;

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
        var config = TlsConfig.Apply(RuntimeConfig.Base, null);
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
    }

    [Fact]
    public void The_certificate_and_the_password_from_the_environment_make_the_ssl_config()
    {
        var tls = TlsConfig.Resolve(_certificate.Path, "MY_PFX_PASSWORD", false, Environment("MY_PFX_PASSWORD"))!;
        var config = TlsConfig.Apply(ConfigurationFactory.ParseString(
            "akka.remote.dot-netty.tcp.port = 4053\nakka.cluster.seed-nodes = [\"akka.tcp://gmm@seed:4053\", \"akka.ssl.tcp://gmm@b:4053\"]"), tls);
        Assert.Equal(["akka.ssl.tcp://gmm@seed:4053", "akka.ssl.tcp://gmm@b:4053"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.Equal(_certificate.Path, config.GetString("akka.remote.dot-netty.tcp.ssl.certificate.path"));
        Assert.Equal(_certificate.Password, config.GetString("akka.remote.dot-netty.tcp.ssl.certificate.password"));
        Assert.False(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.suppress-validation"));
        Assert.True(config.GetBoolean("akka.remote.dot-netty.tcp.ssl.require-mutual-authentication"));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.DoesNotContain(_certificate.Password, tls.ToString());
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

    /// <summary>Two TLS systems talk over loopback; a system without the certificate gets no answer.</summary>
    [Fact]
    public async Task Tls_nodes_talk_and_a_node_without_the_certificate_cannot()
    {
        var tls = TlsConfig.Resolve(_certificate.Path, null, suppressValidation: true, Environment())!;
        Config Remote(TlsSettings? t) => TlsConfig.Apply(ConfigurationFactory.ParseString(
            "akka.actor.provider = remote\nakka.remote.dot-netty.tcp { hostname = \"127.0.0.1\", port = 0 }")
            .WithFallback(RuntimeConfig.Base), t);
        using var server = ActorSystem.Create("gmm", Remote(tls));
        using var client = ActorSystem.Create("gmm", Remote(tls));
        using var plain = ActorSystem.Create("gmm", Remote(null));
        try
        {
            server.ActorOf(Props.Create(() => new Echo()), "echo");
            var address = ((ExtendedActorSystem)server).Provider.DefaultAddress;
            var path = $"{address}/user/echo";
            var answer = await client.ActorSelection(path).Ask<string>("ping", TimeSpan.FromSeconds(20));
            Assert.Equal("pong", answer);
            await Assert.ThrowsAnyAsync<Exception>(() => plain.ActorSelection(path).Ask<string>("ping", TimeSpan.FromSeconds(3)));
        }
        finally
        {
            await Task.WhenAll(server.Terminate(), client.Terminate(), plain.Terminate());
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(_ => Sender.Tell("pong"));
    }
}
