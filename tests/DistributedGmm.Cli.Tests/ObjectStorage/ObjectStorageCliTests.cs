using System.Diagnostics;
using Amazon.S3;
using DistributedGmm.Data;
using DistributedGmm.Data.Tests.ObjectStorage;
using DistributedGmm.Data.Tests.Support;

namespace DistributedGmm.Cli.Tests.ObjectStorage;

/// <summary>
/// `gmm` reading s3:// from a real S3-protocol server (s3rver on loopback, signed requests, path-style): the same
/// model as from disk, bit for bit; one line and exit 2 for every bad address; a server restart ridden out.
/// </summary>
public sealed class ObjectStorageCliTests : IClassFixture<ObjectStorageCliTests.Server>, IDisposable
{
    public sealed class Server : IDisposable
    {
        public S3rverProcess S3 { get; } = new();
        public TempFolder Local { get; } = new();
        public AmazonS3Client Client { get; }
        public string Data => Path.Combine(Local.Path, "set");

        public Server()
        {
            Client = S3Client.For(S3.Endpoint);
            Client.Bucket("lake");
            SyntheticData.Generate(new GeneratorOptions { Rows = 40_000, Dimensions = 3, Components = 3, Files = 4, RowGroupRows = 5000, Seed = 11 }, Data);
            foreach (var file in Directory.GetFiles(Data, "*.parquet"))
                Client.Upload("lake", "year=2026/set/" + Path.GetFileName(file), file);
        }

        public void Dispose()
        {
            Client.Dispose();
            S3.Dispose();
            Local.Dispose();
        }
    }

    private readonly Server _server;
    private readonly TempFolder _work = new();

    public ObjectStorageCliTests(Server server) => _server = server;

    private Dictionary<string, string?> Environment(string? endpoint = null, string key = S3rverProcess.AccessKey, string secret = S3rverProcess.SecretKey) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = key,
        ["AWS_SECRET_ACCESS_KEY"] = secret,
        ["AWS_ENDPOINT_URL_S3"] = endpoint ?? _server.S3.Endpoint,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_REGION"] = "us-east-1",
        ["GMM_S3_ATTEMPTS"] = "2",
    };

    private static readonly string[] Fit = ["fit", "-k", "3", "--seed", "5", "--max-iter", "30", "--tol", "0", "--shard-rows", "2000", "--columns", "x0,x1,x2", "--quiet"];

    [Fact]
    public void Fit_and_score_from_s3_equal_the_same_files_on_disk_bit_for_bit()
    {
        var disk = Gmm.Run(_work.Path, [.. Fit, _server.Data, "--out", "disk.json"]);
        Assert.True(disk.ExitCode == 0, disk.ToString());
        var s3 = Gmm.RunWith(Environment(), _work.Path, [.. Fit, "s3://lake/year=2026/set/", "--out", "s3.json"]);
        Assert.True(s3.ExitCode == 0, s3.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(_work.Path, "disk.json")), File.ReadAllText(Path.Combine(_work.Path, "s3.json")));

        var globbed = Gmm.RunWith(Environment(), _work.Path, [.. Fit, "s3://lake/year=*/set/part-*.parquet", "--out", "glob.json"]);
        Assert.True(globbed.ExitCode == 0, globbed.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(_work.Path, "disk.json")), File.ReadAllText(Path.Combine(_work.Path, "glob.json")));

        var scoreDisk = Gmm.Run(_work.Path, "score", "--model", "disk.json", _server.Data, "--json");
        var scoreS3 = Gmm.RunWith(Environment(), _work.Path, "score", "--model", "disk.json", "s3://lake/year=2026/set/", "--json");
        Assert.True(scoreS3.ExitCode == 0, scoreS3.ToString());
        Assert.True(scoreDisk.ExitCode == 0, scoreDisk.ToString());
        Assert.Equal(scoreDisk.Stdout.Replace(_server.Data, "DATA"), scoreS3.Stdout.Replace("s3://lake/year=2026/set/", "DATA"));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_fit_rides_out_the_server_stopping_for_a_few_seconds_and_ends_with_the_same_model()
    {
        // No shard cache: every iteration re-reads its shards by range, so the outage falls on reads.
        string[] longFit = ["fit", "-k", "3", "--seed", "5", "--max-iter", "1500", "--tol", "0", "--shard-rows", "2000", "--cache-mb", "0", "--columns", "x0,x1,x2"];
        var disk = Gmm.Run(_work.Path, [.. longFit, _server.Data, "--out", "disk-long.json", "--quiet"]);
        Assert.True(disk.ExitCode == 0, disk.ToString());

        var env = Environment().Where(e => e.Value is not null && e.Key != "GMM_S3_ATTEMPTS").ToDictionary(e => e.Key, e => e.Value!); // the documented default: waits add up to at least 12 s
        using var fit = new MultiNode.GmmProcess(_work.Path, env, [.. longFit, "s3://lake/year=2026/set/", "--out", "s3-long.json"]);
        await fit.WaitForStderrAsync("iteration 2:", TimeSpan.FromMinutes(1)); // iterating: reading shards by range
        _server.S3.Stop();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(fit.HasExited, "the fit ended while the server was down: " + fit);
        _server.S3.Restart();
        Assert.True(await fit.WaitForExitAsync(TimeSpan.FromMinutes(3)) == 0, fit.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(_work.Path, "disk-long.json")), File.ReadAllText(Path.Combine(_work.Path, "s3-long.json")));
    }

    [Fact]
    public async Task A_model_written_to_s3_is_the_local_model_and_starts_a_fit_from_s3()
    {
        var local = Gmm.Run(_work.Path, [.. Fit, _server.Data, "--out", "local.json"]);
        Assert.True(local.ExitCode == 0, local.ToString());
        var toS3 = Gmm.RunWith(Environment(), _work.Path, [.. Fit, "s3://lake/year=2026/set/", "--out", "s3://lake/models/model.json"]);
        Assert.True(toS3.ExitCode == 0, toS3.ToString());
        var stored = Path.Combine(_work.Path, "stored.json");
        using (var response = await _server.Client.GetObjectAsync("lake", "models/model.json"))
            await response.WriteResponseStreamToFileAsync(stored, false, CancellationToken.None);
        Assert.Equal(File.ReadAllText(Path.Combine(_work.Path, "local.json")), File.ReadAllText(stored));

        string[] more = ["fit", "--max-iter", "3", "--tol", "0", "--shard-rows", "2000", "--quiet"];
        var fromLocal = Gmm.Run(_work.Path, [.. more, "--init-model", "local.json", _server.Data, "--out", "next-local.json"]);
        var fromS3 = Gmm.RunWith(Environment(), _work.Path, [.. more, "--init-model", "s3://lake/models/model.json", "s3://lake/year=2026/set/", "--out", "next-s3.json"]);
        Assert.True(fromS3.ExitCode == 0, fromS3.ToString());
        Assert.True(fromLocal.ExitCode == 0, fromLocal.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(_work.Path, "next-local.json")), File.ReadAllText(Path.Combine(_work.Path, "next-s3.json")));
    }

    [Fact]
    public void A_model_for_a_missing_bucket_is_refused_before_the_fit_and_nothing_is_written()
    {
        var fit = Gmm.RunWith(Environment(), _work.Path, [.. Fit, "s3://lake/year=2026/set/", "--out", "s3://nolake/model.json"]);
        Assert.True(fit.ExitCode == 2, fit.ToString());
        Assert.Equal("gmm: error: s3://nolake/model.json: no such bucket \"nolake\"", fit.Stderr.Trim());
        Assert.Empty(Directory.GetFiles(_work.Path));
    }

    [Fact(Timeout = 240_000)]
    public async Task An_object_replaced_mid_fit_stops_it_with_one_line_naming_the_object_and_no_model()
    {
        foreach (var name in new[] { "part-00000.parquet", "part-00001.parquet" })
            _server.Client.Upload("lake", "swap/" + name, Path.Combine(_server.Data, name));
        // So many iterations that the fit is surely still reading when the object is replaced; replaced only once
        // the fit is iterating, i.e. after discovery recorded the first version (a slow start must not let the
        // fit discover the second version and run on it).
        string[] longFit = ["fit", "-k", "3", "--seed", "5", "--max-iter", "1000000", "--tol", "0", "--shard-rows", "2000", "--cache-mb", "0", "--columns", "x0,x1,x2"];
        var env = Environment().Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!);
        using var fit = new MultiNode.GmmProcess(_work.Path, env, [.. longFit, "s3://lake/swap/", "--out", "swapped.json"]);
        await fit.WaitForStderrAsync("iteration 2:", TimeSpan.FromMinutes(1));
        _server.Client.Upload("lake", "swap/part-00000.parquet", Path.Combine(_server.Data, "part-00002.parquet"));
        Assert.True(await fit.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 2, fit.ToString());
        var error = fit.Stderr.Split('\n').Where(l => l.StartsWith("gmm: error:", StringComparison.Ordinal)).ToList();
        Assert.Single(error);
        Assert.True(error[0].StartsWith("gmm: error: s3://lake/swap/part-00000.parquet: the object was replaced while it was being read", StringComparison.Ordinal), error[0]);
        Assert.False(File.Exists(Path.Combine(_work.Path, "swapped.json")));
    }

    [Fact]
    public void Predictions_from_s3_to_an_s3_prefix_are_the_files_predict_writes_on_disk()
    {
        var fit = Gmm.Run(_work.Path, [.. Fit, _server.Data, "--out", "p.json"]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var disk = Gmm.Run(_work.Path, "predict", _server.Data, "--model", "p.json", "--out", "predicted", "--quiet");
        Assert.True(disk.ExitCode == 0, disk.ToString());
        var s3 = Gmm.RunWith(Environment(), _work.Path, "predict", "s3://lake/year=2026/set/", "--model", "p.json", "--out", "s3://lake/predicted/", "--quiet");
        Assert.True(s3.ExitCode == 0, s3.ToString());
        var names = Directory.GetFiles(Path.Combine(_work.Path, "predicted")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names.Select(n => "predicted/" + n), _server.Client.Keys("lake", "predicted/"));
        foreach (var name in names)
            Assert.Equal(File.ReadAllBytes(Path.Combine(_work.Path, "predicted", name!)), File.ReadAllBytes(Path.Combine(_server.S3.Directory, "lake", "predicted", name + "._S3rver_object")));
    }

    [Fact]
    public async Task Predictions_uploaded_in_small_parts_are_the_files_predict_writes_on_disk_and_leave_no_upload_open()
    {
        var fit = Gmm.Run(_work.Path, [.. Fit, _server.Data, "--out", "parts.json"]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var disk = Gmm.Run(_work.Path, "predict", _server.Data, "--model", "parts.json", "--out", "predicted", "--quiet");
        Assert.True(disk.ExitCode == 0, disk.ToString());
        const int partSize = 64 << 10;
        using var counter = new FaultyProxy(_server.S3.Port, FaultyProxy.Fault.SlowDown, every: int.MaxValue); // counts, spoils nothing
        var env = Environment(counter.Endpoint);
        env["GMM_S3_PART_SIZE"] = partSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var s3 = Gmm.RunWith(env, _work.Path, "predict", "s3://lake/year=2026/set/", "--model", "parts.json", "--out", "s3://lake/in-parts/", "--quiet");
        Assert.True(s3.ExitCode == 0, s3.ToString());
        var names = Directory.GetFiles(Path.Combine(_work.Path, "predicted")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names.Select(n => "in-parts/" + n), _server.Client.Keys("lake", "in-parts/"));
        foreach (var name in names)
        {
            var local = File.ReadAllBytes(Path.Combine(_work.Path, "predicted", name!));
            Assert.True(local.Length > partSize, $"{name}: {local.Length} bytes, one part");
            var partPuts = counter.RequestLines.Count(l => l.StartsWith($"PUT /lake/in-parts/{name}?", StringComparison.Ordinal) && l.Contains("partNumber=", StringComparison.Ordinal));
            Assert.Equal((local.Length + partSize - 1) / partSize, partPuts);
            Assert.Equal(local, await _server.Client.BytesAsync("lake", "in-parts/" + name));
        }
        Assert.Empty(_server.Client.OpenUploads("lake"));
    }

    [Fact]
    public void A_bad_part_size_is_refused_in_one_line()
    {
        var env = Environment();
        env["GMM_S3_PART_SIZE"] = "16MiB";
        var fit = Gmm.RunWith(env, _work.Path, [.. Fit, "s3://lake/year=2026/set/", "--out", "s3://lake/bad-part/model.json"]);
        Assert.True(fit.ExitCode == 2, fit.ToString());
        Assert.Equal("gmm: error: GMM_S3_PART_SIZE: expected a number of bytes from 1 to 5368709120 (5 GiB), got \"16MiB\"", fit.Stderr.Trim());
        Assert.Empty(_server.Client.Keys("lake", "bad-part/"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_worker_node_with_a_bad_part_size_refuses_to_start_in_one_line_before_any_job()
    {
        var env = Environment();
        env["GMM_S3_PART_SIZE"] = "0";
        // No cluster to join: a node that started would wait for its seed, not exit.
        using var node = new MultiNode.GmmProcess(_work.Path, env.ToDictionary(e => e.Key, e => e.Value ?? ""),
            ["node", "--role", "worker", "--port", $"{LoopbackPorts.Claim()}", "--seed-nodes", $"akka.tcp://gmm@127.0.0.1:{LoopbackPorts.Claim()}"]);
        Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 2, node.ToString());
        Assert.Equal("gmm: error: GMM_S3_PART_SIZE: expected a number of bytes from 1 to 5368709120 (5 GiB), got \"0\"", node.Stderr.Trim());
    }

    [Fact]
    public void Ctrl_c_during_predict_to_s3_leaves_every_object_whole_or_none_and_no_upload_or_staging_behind()
    {
        var fit = Gmm.Run(_work.Path, [.. Fit, _server.Data, "--out", "c.json"]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var staging = Path.Combine(_work.Path, "tmp");
        Directory.CreateDirectory(staging);
        var env = Environment();
        env["TMPDIR"] = staging;
        var stored = Path.Combine(_server.S3.Directory, "lake");
        var interrupted = 0;
        var uploads = Path.Combine(stored, "._S3rver_uploads");
        // Signalled while it writes predictions locally, then as soon as the first object is stored, then (in parts
        // of 16 KiB) while a multipart upload holds parts on the server.
        foreach (var (round, evidence) in new (int, Func<bool>)[]
                 {
                     (0, () => Directory.EnumerateFiles(staging, "*.parquet", SearchOption.AllDirectories).Any()),
                     (1, () => Directory.Exists(Path.Combine(stored, "cancel-1")) && Directory.EnumerateFiles(Path.Combine(stored, "cancel-1")).Any()),
                     (2, () => Directory.Exists(uploads) && Directory.EnumerateFiles(uploads, "2", SearchOption.AllDirectories).Any()),
                 })
        {
            if (round == 2) env["GMM_S3_PART_SIZE"] = (16 << 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var pending = Gmm.Start(_work.Path, ["predict", "s3://lake/year=2026/set/", "--model", "c.json", "--out", $"s3://lake/cancel-{round}/", "--quiet"], out var process, env);
            var clock = Stopwatch.StartNew();
            while (!evidence() && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            ProcessSignal.Send(process, "INT");
            var result = pending.Wait(process);
            var keys = _server.Client.Keys("lake", $"cancel-{round}/");
            if (result.ExitCode == 130)
            {
                interrupted++;
                Assert.True(keys.Count == 0, $"{string.Join(", ", keys)} left behind by an interrupted run: {result}");
            }
            else
            {
                Assert.True(round != 2, "a run signalled during a multipart upload finished: " + result);
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.Equal(4, keys.Count);
            }
            Assert.Empty(Directory.EnumerateFileSystemEntries(staging));
            Assert.Empty(_server.Client.OpenUploads("lake"));
        }
        Assert.True(interrupted >= 2, "no run was interrupted mid-way before the multipart round");
    }

    private async Task<bool> IsWholeJsonAsync(string bucket, string key)
    {
        try
        {
            using var response = await _server.Client.GetObjectAsync(bucket, key);
            using var reader = new StreamReader(response.ResponseStream);
            using var _ = System.Text.Json.JsonDocument.Parse(await reader.ReadToEndAsync());
            return true;
        }
        catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or System.Text.Json.JsonException or IOException)
        {
            return false;
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task A_fit_checkpointing_to_s3_killed_mid_way_resumes_to_the_model_of_an_uninterrupted_fit()
    {
        string[] fit = ["fit", "s3://lake/year=2026/set/", "-k", "4", "--tol", "0", "--max-iter", "150", "--init", "random", "--seed", "5", "--columns", "x0,x1,x2"];
        var reference = Gmm.RunWith(Environment(), _work.Path, [.. fit, "--out", "reference.json", "--quiet"]);
        Assert.True(reference.ExitCode == 0, reference.ToString());
        // s3rver writes an object in place as its body arrives, where S3 shows an object only once it is whole. So the
        // run talks to s3rver through a proxy that, from iteration 4 on, holds every request back, and the run is
        // killed once one is held: it sends one request at a time while it checkpoints, so the checkpoint before the
        // held request stands whole on the server and no later one has begun. (Stopping the run at random moments
        // until the object read whole did not always find such a moment before the fit ended.)
        using var gate = new FaultyProxy(_server.S3.Port, FaultyProxy.Fault.SlowDown, every: int.MaxValue); // spoils nothing
        var env = Environment(gate.Endpoint).ToDictionary(e => e.Key, e => e.Value ?? "");
        foreach (var name in env.Where(e => e.Value.Length == 0).Select(e => e.Key).ToList()) env.Remove(name);
        using (var killed = new MultiNode.GmmProcess(_work.Path, env, [.. fit, "--out", "model.json", "--checkpoint", "s3://lake/ckpt/"]))
        {
            await killed.WaitForStderrAsync("iteration 4:", TimeSpan.FromMinutes(1));
            gate.Hold();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (gate.Held == 0 && clock.Elapsed < TimeSpan.FromMinutes(1)) await Task.Delay(10);
            Assert.True(gate.Held > 0, "the run sent no request after iteration 4");
            killed.Signal("KILL");
            Assert.Equal(137, await killed.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        Assert.True(await IsWholeJsonAsync("lake", "ckpt/checkpoint.json"), "the last checkpoint is not whole on the server");
        Assert.False(File.Exists(Path.Combine(_work.Path, "model.json")));
        Assert.Equal(["ckpt/checkpoint.json"], _server.Client.Keys("lake", "ckpt/"));

        var resumed = Gmm.RunWith(Environment(), _work.Path, [.. fit, "--out", "model.json", "--checkpoint", "s3://lake/ckpt/", "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("gmm: resuming from s3://lake/ckpt/checkpoint.json", resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_work.Path, "reference.json")), File.ReadAllBytes(Path.Combine(_work.Path, "model.json")));

        var missing = Gmm.RunWith(Environment(), _work.Path, [.. fit, "--out", "m.json", "--checkpoint", "s3://lake/nockpt/", "--resume"]);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Equal("gmm: error: s3://lake/nockpt/checkpoint.json: no such object", missing.Stderr.Trim());
    }

    private Task<byte[]> ObjectBytesAsync(string key) => _server.Client.BytesAsync("lake", key);

    [Fact]
    public async Task Images_to_s3_are_the_images_written_locally()
    {
        var fit = Gmm.Run(_work.Path, [.. Fit, _server.Data, "--out", "img.json"]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var local = Gmm.Run(_work.Path, "plot", _server.Data, "--model", "img.json", "--out", "fig.png");
        Assert.True(local.ExitCode == 0, local.ToString());
        var toS3 = Gmm.RunWith(Environment(), _work.Path, "plot", "s3://lake/year=2026/set/", "--model", "img.json", "--out", "s3://lake/images/fig.png");
        Assert.True(toS3.ExitCode == 0, toS3.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(_work.Path, "fig.png")), await ObjectBytesAsync("images/fig.png"));

        string[] select = ["select", "--components", "1,2", "--seed", "3", "--quiet"];
        var selectLocal = Gmm.Run(_work.Path, [.. select, _server.Data, "--out", "best.json", "--plot", "bic.png"]);
        Assert.True(selectLocal.ExitCode == 0, selectLocal.ToString());
        var selectS3 = Gmm.RunWith(Environment(), _work.Path, [.. select, "s3://lake/year=2026/set/", "--out", "s3://lake/images/best.json", "--plot", "s3://lake/images/bic.png"]);
        Assert.True(selectS3.ExitCode == 0, selectS3.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(_work.Path, "bic.png")), await ObjectBytesAsync("images/bic.png"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_work.Path, "best.json")), await ObjectBytesAsync("images/best.json"));
        Assert.Equal(["images/best.json", "images/bic.png", "images/fig.png"], _server.Client.Keys("lake", "images/"));
        Assert.Equal(["best.json", "bic.png", "fig.png", "img.json"], Directory.GetFileSystemEntries(_work.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_image_for_a_missing_bucket_is_refused_before_the_work_and_nothing_is_written()
    {
        var select = Gmm.RunWith(Environment(), _work.Path, "select", _server.Data, "--components", "1,2", "--out", "best.json", "--plot", "s3://nolake/bic.png", "--quiet");
        Assert.True(select.ExitCode == 2, select.ToString());
        Assert.Equal("gmm: error: s3://nolake/bic.png: no such bucket \"nolake\"", select.Stderr.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(_work.Path));
    }

    [Fact]
    public void The_endpoint_option_overrides_the_environment()
    {
        var env = Environment(endpoint: "http://127.0.0.1:9");
        var fit = Gmm.RunWith(env, _work.Path, [.. Fit, "s3://lake/year=2026/set/", "--out", "m.json", "--s3-endpoint", _server.S3.Endpoint]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
    }

    [Theory]
    [InlineData("s3://nolake/set/", null, "s3://nolake/set/: no such bucket \"nolake\"")]
    [InlineData("s3://lake/missing/", null, "s3://lake/missing/: no object under this prefix")]
    [InlineData("s3://lake/year=2026/set/", "WRONGKEY", "s3://lake/year=2026/set/: the object store at {endpoint} refused the credentials (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")]
    [InlineData("s3://lake/year=2026/set/", "WRONGSECRET", "s3://lake/year=2026/set/: the object store at {endpoint} refused the credentials (SignatureDoesNotMatch); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")]
    [InlineData("s3://lake/year=2026/set/", "unreachable", "s3://lake/year=2026/set/: the object store at {endpoint} failed 2 times (connection failed: ConnectionRefused); giving up")]
    public void Bad_addresses_exit_2_with_one_line_and_write_nothing(string input, string? trouble, string message)
    {
        var endpoint = trouble == "unreachable" ? $"http://127.0.0.1:{LoopbackPorts.Claim()}" : _server.S3.Endpoint;
        var env = Environment(endpoint, key: trouble == "WRONGKEY" ? "WRONGKEY" : S3rverProcess.AccessKey, secret: trouble == "WRONGSECRET" ? "WRONGSECRET" : S3rverProcess.SecretKey);
        var fit = Gmm.RunWith(env, _work.Path, [.. Fit, input, "--out", "model.json"]);
        Assert.True(fit.ExitCode == 2, fit.ToString());
        Assert.Equal("gmm: error: " + message.Replace("{endpoint}", endpoint), fit.Stderr.Trim());
        Assert.DoesNotContain("S3RVER", fit.Stderr); // neither key id nor secret
        Assert.DoesNotContain("WRONGKEY", fit.Stderr);
        Assert.DoesNotContain("WRONGSECRET", fit.Stderr);
        Assert.False(File.Exists(Path.Combine(_work.Path, "model.json")));
    }

    public void Dispose() => _work.Dispose();
}
