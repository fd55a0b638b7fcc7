using DistributedGmm.Core.Tests.Support;
using DistributedGmm.Data.Tests.ObjectStorage;

namespace DistributedGmm.Cli.Tests;

/// <summary>
/// <c>select --out M --plot P</c> keeps both outputs or neither (README, "Outputs"), when either is an object on a
/// real S3 server (s3rver): a model uploaded before a plot that cannot be written is deleted again, and a plot
/// upload refused by the server (403, as for a key without s3:PutObject) takes the local model with it.
/// </summary>
public sealed class SelectOutputTests(GeneratedData data) : IClassFixture<GeneratedData>, IDisposable
{
    private readonly S3rverProcess _s3 = new();
    private readonly TempFolder _work = new();

    public void Dispose()
    {
        _s3.Dispose();
        _work.Dispose();
    }

    private static Dictionary<string, string?> Environment(string endpoint) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = S3rverProcess.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rverProcess.SecretKey,
        ["AWS_ENDPOINT_URL_S3"] = endpoint,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_REGION"] = "us-east-1",
        ["GMM_S3_ATTEMPTS"] = "1",
    };

    private string[] Select(string model, string plot) =>
        ["select", data.Directory, "-k", "1..2", "--covariance", "diag", "--out", model, "--plot", plot, "--quiet"];

    [Fact]
    public void A_model_object_is_deleted_when_the_plot_cannot_be_written()
    {
        using var client = S3Client.For(_s3.Endpoint);
        client.Bucket("lake");
        var full = _work["full"];
        SpecialFiles.MakeCharacterDevice(full, 1, 7);
        var result = Gmm.RunWith(Environment(_s3.Endpoint), _work.Path, Select("s3://lake/models/best.json", full));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"cannot write {full}: No space left on device", result.Stderr);
        Assert.Empty(client.Keys("lake"));
        Assert.Equal(["full"], _work.Files());
    }

    [Fact]
    public void A_refused_plot_upload_takes_the_local_model_with_it()
    {
        using var client = S3Client.For(_s3.Endpoint);
        client.Bucket("lake");
        using var readOnly = new FaultyProxy(_s3.Port, FaultyProxy.Fault.DenyWrites);
        var result = Gmm.RunWith(Environment(readOnly.Endpoint), _work.Path, Select("best.json", "s3://lake/figures/bic.png"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("s3://lake/figures/bic.png", result.Stderr);
        Assert.Contains(readOnly.RequestLines, line => line.StartsWith("PUT /lake/figures/bic.png", StringComparison.Ordinal));
        Assert.Empty(client.Keys("lake"));
        Assert.Empty(_work.Files());
    }
}
