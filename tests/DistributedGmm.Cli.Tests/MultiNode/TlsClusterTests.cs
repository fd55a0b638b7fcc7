using DistributedGmm.Cluster.Tests;
using DistributedGmm.Data.Tests.Support;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>
/// Worker and coordinator processes over TLS (a certificate made for the test, its password in an environment
/// variable): the fit equals the embedded one; a worker without the certificate never joins.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class TlsClusterTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private const string PasswordVariable = "GMM_TEST_TLS_PASSWORD";
    private readonly TempFolder _work = new();
    private readonly TestCertificate _certificate = new();

    public void Dispose()
    {
        _certificate.Dispose();
        _work.Dispose();
    }

    private string[] Tls => ["--tls-certificate", _certificate.Path, "--tls-password-env", PasswordVariable, "--tls-suppress-validation"];

    private string[] Fit(string output) => ["fit", data.Directory, "-k", "3", "--seed", "3", "--shard-rows", "500", "--quiet", "--out", output];

    [Fact(Timeout = 240_000)]
    public async Task A_tls_cluster_fits_the_embedded_model_and_a_worker_without_the_certificate_cannot_join()
    {
        // Children inherit the variable; the password never appears on a command line.
        Environment.SetEnvironmentVariable(PasswordVariable, _certificate.Password);
        var embedded = Gmm.Run(_work.Path, Fit("embedded.json"));
        Assert.True(embedded.ExitCode == 0, embedded.ToString());

        using var nodes = new WorkerNodes(_work.Path);
        await nodes.StartAsync(Tls);
        using (var coordinator = new GmmProcess(_work.Path, [.. Fit("cluster.json"), "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0",
                   "--min-workers", "1", "--join-timeout", "40s", "--checkpoint", "cp", .. Tls]))
        {
            var exit = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, coordinator.ToString());
        }
        Assert.Equal(File.ReadAllBytes(_work["embedded.json"]), File.ReadAllBytes(_work["cluster.json"]));
        Assert.True(File.Exists(_work["cp/checkpoint.json"]));

        // A plain worker pointed at the TLS seed never gets in: the coordinator's wait for a second worker times out.
        using var plain = new GmmProcess(_work.Path, "node", "--role", "worker", "--port", $"{LoopbackPorts.Claim()}", "--seed-nodes", nodes.SeedNodes);
        using var refused = new GmmProcess(_work.Path, [.. Fit("refused.json"), "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0",
            "--min-workers", "2", "--join-timeout", "10s", .. Tls]);
        var code = await refused.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(code == 3, refused.ToString()); // the cluster could not do the job
        Assert.Contains("only 1 of 2 worker node(s) joined within 10 s", refused.Stderr);
        Assert.DoesNotContain("up at", plain.Stderr);
        Assert.False(File.Exists(_work["refused.json"]));
    }
}
