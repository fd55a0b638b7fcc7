using DistributedGmm.Cli.Tests.MultiNode;
using DistributedGmm.Data;
using DistributedGmm.Data.Tests.ObjectStorage;
using DistributedGmm.Data.Tests.Support;

namespace DistributedGmm.Cli.Tests.ObjectStorage;

/// <summary>
/// A fit on three worker processes on loopback whose data is in a real S3-protocol server (s3rver): each worker
/// node reads its own shards from the store (the data exists nowhere else the nodes could read it), and the model
/// equals the embedded fit of the same files on disk, bit for bit.
/// </summary>
[Collection(nameof(MultiNodeCollection))]
public sealed class ObjectStorageClusterTests : IDisposable
{
    private readonly S3rverProcess _s3 = new();
    private readonly TempFolder _work = new();

    public ObjectStorageClusterTests()
    {
        using var client = S3Client.For(_s3.Endpoint);
        client.Bucket("lake");
        SyntheticData.Generate(new GeneratorOptions { Rows = 30_000, Dimensions = 3, Components = 3, Files = 3, RowGroupRows = 2500, Seed = 9 }, _work["data"]);
        foreach (var file in Directory.GetFiles(_work["data"], "*.parquet"))
            client.Upload("lake", "set/" + Path.GetFileName(file), file);
    }

    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["AWS_ACCESS_KEY_ID"] = S3rverProcess.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3rverProcess.SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL_S3"] = _s3.Endpoint,
    };

    /// <summary>The environment of a worker node with a TMPDIR of its own, <paramref name="tmp"/> (made here), so what it leaves there can be checked.</summary>
    private Dictionary<string, string> NodeEnvironment(string tmp)
    {
        var env = Environment();
        env["TMPDIR"] = Directory.CreateDirectory(_work[tmp]).FullName;
        return env;
    }

    /// <summary>What gmm left in a node's TMPDIR: its private folders and anything in them, and temporaries of ours beside them (the runtime's own sockets aside).</summary>
    private string[] GmmLeftovers(string tmp) =>
        Directory.EnumerateFileSystemEntries(_work[tmp], "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(_work[tmp], e))
            .Where(e => e.StartsWith("gmm", StringComparison.Ordinal) || e.StartsWith(".gmm", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Files gmm left in a node's TMPDIR, but for the lock file that marks a private folder as its process's while it runs.</summary>
    private string[] GmmLeftoverFiles(string tmp) =>
        GmmLeftovers(tmp).Where(e => File.Exists(Path.Combine(_work[tmp], e)) && Path.GetFileName(e) != ".lock").ToArray();

    [Fact(Timeout = 240_000)]
    public async Task Three_worker_nodes_reading_s3_give_the_embedded_model_of_the_files_on_disk()
    {
        string[] fit = ["-k", "3", "--seed", "3", "--shard-rows", "1000", "--columns", "x0,x1,x2"];
        var embedded = Gmm.Run(_work.Path, ["fit", _work["data"], .. fit, "--out", "disk.json", "--quiet"]);
        Assert.True(embedded.ExitCode == 0, embedded.ToString());

        using var nodes = new WorkerNodes(_work.Path);
        for (var i = 0; i < 3; i++) await nodes.StartAsync(Environment());
        using var coordinator = new GmmProcess(_work.Path, Environment(),
            ["fit", "s3://lake/set/", .. fit, "--out", "cluster.json", "--cluster", "--seed-nodes", nodes.SeedNodes, "--port", "0", "--join-timeout", "40s", "--min-workers", "3"]);
        var exit = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(150));
        Assert.True(exit == 0, coordinator.ToString());
        Assert.Contains("3 workers", coordinator.Stderr);
        foreach (var node in nodes.Nodes) Assert.Contains("joined fit", node.Stderr);
        MultiNodeTests.AssertSameModel(_work["disk.json"], _work["cluster.json"]);
    }

    private static readonly TimeSpan PredictTimeout = TimeSpan.FromSeconds(150);

    /// <summary>Data of <paramref name="files"/> files on disk and in s3://lake/{name}/, a model of them, and the embedded predictions of the files on disk.</summary>
    private string[] PreparePredict(string name, int files, int rows, int rowGroupRows)
    {
        Assert.Equal(0, Gmm.Run(_work.Path, "generate", "--out", name, "--rows", $"{rows}", "--dims", "3", "--components", "3", "--files", $"{files}",
            "--row-group-rows", $"{rowGroupRows}", "--seed", "7").ExitCode);
        using var client = S3Client.For(_s3.Endpoint);
        foreach (var file in Directory.GetFiles(_work[name], "*.parquet"))
            client.Upload("lake", name + "/" + Path.GetFileName(file), file);
        var fit = Gmm.Run(_work.Path, "fit", name, "-k", "3", "--max-iter", "5", "--seed", "1", "--out", name + ".json", "--quiet");
        Assert.True(fit.ExitCode == 0, fit.ToString());
        var embedded = Gmm.Run(_work.Path, "predict", name, "--model", name + ".json", "--out", name + "-embedded", "--quiet");
        Assert.True(embedded.ExitCode == 0, embedded.ToString());
        return ["predict", $"s3://lake/{name}/", "--model", name + ".json", "--quiet", "--cluster", "--seed-nodes", "", "--port", "0", "--join-timeout", "40s"];
    }

    /// <summary>Three worker nodes that upload in parts of <paramref name="partSize"/> bytes, node i with TMPDIR "tmp-i".</summary>
    private async Task<WorkerNodes> ThreeNodesAsync(int partSize)
    {
        var nodes = new WorkerNodes(_work.Path);
        for (var i = 0; i < 3; i++)
        {
            var env = NodeEnvironment($"tmp-{i}");
            env["GMM_S3_PART_SIZE"] = $"{partSize}";
            await nodes.StartAsync(env);
        }
        return nodes;
    }

    /// <summary>The coordinator of <paramref name="predict"/> on the nodes, writing to s3://lake/<paramref name="prefix"/>.</summary>
    private GmmProcess PredictOn(WorkerNodes nodes, string[] predict, string prefix, int minWorkers = 3) =>
        new(_work.Path, Environment(), [.. predict.Select(a => a.Length == 0 ? nodes.SeedNodes : a), "--out", "s3://lake/" + prefix, "--min-workers", $"{minWorkers}"]);

    /// <summary>Every object under the prefix is the embedded predict's file of that name, byte for byte, and nothing else is there.</summary>
    private async Task AssertObjectsAreTheEmbeddedFilesAsync(string name, string prefix)
    {
        using var client = S3Client.For(_s3.Endpoint);
        var expected = Directory.GetFiles(_work[name + "-embedded"]).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(f => prefix + f), client.Keys("lake", prefix));
        foreach (var file in expected)
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_work[name + "-embedded"], file!)), await client.BytesAsync("lake", prefix + file));
        Assert.Empty(client.OpenUploads("lake"));
    }

    [Fact(Timeout = 240_000)]
    public async Task Three_worker_nodes_predict_to_s3_objects_that_are_the_embedded_predict_files()
    {
        var predict = PreparePredict("p3", files: 6, rows: 24_000, rowGroupRows: 2000);
        using var nodes = await ThreeNodesAsync(partSize: 32 << 10); // the nodes upload in parts
        using var coordinator = PredictOn(nodes, predict, "p3-out/");
        var exit = await coordinator.WaitForExitAsync(PredictTimeout);
        Assert.True(exit == 0, coordinator.ToString());
        await AssertObjectsAreTheEmbeddedFilesAsync("p3", "p3-out/");
        Assert.All(nodes.Nodes, n => Assert.Contains("gmm node: wrote s3://lake/p3-out/", n.Stderr)); // every node uploaded
        for (var i = 0; i < 3; i++)
        {
            Assert.Single(GmmLeftovers($"tmp-{i}"), e => e.StartsWith("gmm-temp-", StringComparison.Ordinal) && !e.Contains('/')); // its private folder, its temporaries gone
            Assert.Empty(GmmLeftoverFiles($"tmp-{i}"));
            nodes.Nodes[i].Signal("TERM");
            Assert.Equal(0, await nodes.Nodes[i].WaitForExitAsync(PredictTimeout));
            Assert.Empty(GmmLeftovers($"tmp-{i}")); // removed as the node left
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task A_node_killed_mid_upload_loses_its_file_to_another_and_the_coordinator_aborts_its_open_upload()
    {
        // Only the victim uploads in parts (4 KiB: hundreds of requests a file); the others' files take one PUT each.
        // So an open multipart upload is the victim's, and killing it then leaves its parts on the server.
        var predict = PreparePredict("pk", files: 6, rows: 240_000, rowGroupRows: 10_000);
        var inParts = NodeEnvironment("tmp-victim");
        inParts["GMM_S3_PART_SIZE"] = $"{4 << 10}";
        using var nodes = new WorkerNodes(_work.Path);
        var victim = await nodes.StartAsync(inParts);
        for (var i = 0; i < 2; i++) await nodes.StartAsync(NodeEnvironment($"tmp-{i}"));
        using var coordinator = PredictOn(nodes, predict, "pk-out/");
        using var client = S3Client.For(_s3.Endpoint);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (client.OpenUploads("lake").Count == 0 && !coordinator.HasExited && clock.Elapsed < PredictTimeout) await Task.Delay(5);
        victim.Signal("KILL");
        Assert.Single(client.OpenUploads("lake")); // left behind by the killed node
        var exit = await coordinator.WaitForExitAsync(PredictTimeout);
        Assert.True(exit == 0, coordinator.ToString());
        await AssertObjectsAreTheEmbeddedFilesAsync("pk", "pk-out/"); // and no upload open
        for (var i = 0; i < 2; i++) Assert.Empty(GmmLeftoverFiles($"tmp-{i}"));
        // The killed node's temporary stays in its private folder, until a node started with that TMPDIR sweeps it away.
        var killed = $"gmm-temp-{victim.Id}-";
        Assert.Contains(GmmLeftoverFiles("tmp-victim"), e => e.StartsWith(killed, StringComparison.Ordinal));
        using var restarted = new GmmProcess(_work.Path, NodeEnvironment("tmp-victim"),
            ["node", "--role", "worker", "--port", $"{LoopbackPorts.Claim()}", "--seed-nodes", nodes.SeedNodes]);
        await restarted.WaitForStderrAsync("gmm node: listening at", PredictTimeout); // it sweeps before it listens
        Assert.DoesNotContain(GmmLeftovers("tmp-victim"), e => e.StartsWith(killed, StringComparison.Ordinal));
    }

    /// <summary>
    /// Three nodes, the first behind <paramref name="uplink"/> (a slow uplink to the store), with a request timeout of
    /// <see cref="ShortTimeout"/> seconds; every node with a TMPDIR of its own.
    /// </summary>
    private async Task<(WorkerNodes Nodes, GmmProcess Slow)> NodesWithASlowUplinkAsync(ThrottledProxy uplink, int? partSize = null,
        ThrottledProxy? othersUplink = null)
    {
        var slowEnv = NodeEnvironment("tmp-slow");
        slowEnv["AWS_ENDPOINT_URL_S3"] = uplink.Endpoint;
        if (partSize is { } bytes) slowEnv["GMM_S3_PART_SIZE"] = $"{bytes}";
        var nodes = new WorkerNodes(_work.Path);
        var slow = await nodes.StartAsync(slowEnv);
        for (var i = 0; i < 2; i++)
        {
            var env = NodeEnvironment($"tmp-{i}");
            if (othersUplink is not null)
            {
                // Slow but moving: uploads in small parts report progress, so these nodes are never given up on.
                env["AWS_ENDPOINT_URL_S3"] = othersUplink.Endpoint;
                env["GMM_S3_PART_SIZE"] = $"{64 << 10}";
            }
            await nodes.StartAsync(env);
        }
        return (nodes, slow);
    }

    private const int ShortTimeout = 4;

    private string[] WithShortTimeout(string[] predict)
    {
        File.WriteAllText(_work["timeout.conf"], $"gmm.request-timeout = {ShortTimeout}s\n");
        return [.. predict, "--config", _work["timeout.conf"]];
    }

    [Fact(Timeout = 240_000)]
    public async Task A_node_whose_upload_outlasts_the_request_timeout_but_keeps_moving_keeps_its_file()
    {
        var predict = WithShortTimeout(PreparePredict("ps", files: 6, rows: 240_000, rowGroupRows: 10_000));
        using var uplink = new ThrottledProxy(_s3.Port, bytesPerSecond: 150_000);
        // In parts of 64 KiB, each acknowledged by the server: socket buffers (megabytes on loopback) cannot hide how far the upload is.
        var (nodes, slow) = await NodesWithASlowUplinkAsync(uplink, partSize: 64 << 10);
        using var _ = nodes;
        using var coordinator = PredictOn(nodes, predict, "ps-out/");
        Assert.True(await coordinator.WaitForExitAsync(PredictTimeout) == 0, coordinator.ToString());
        Assert.DoesNotContain("wrote no shard", coordinator.Stderr); // no node was given up on
        var written = System.Text.RegularExpressions.Regex.Match(slow.Stderr, @"gmm node: wrote s3://lake/ps-out/(\S+)");
        Assert.True(written.Success, slow.Stderr);
        // The slow node's upload alone took more than twice the request timeout: the bytes it reported sent kept its file.
        var size = new FileInfo(Path.Combine(_work["ps-embedded"], written.Groups[1].Value)).Length;
        Assert.True(size > 2 * ShortTimeout * uplink.BytesPerSecond, $"{size} bytes upload in {(double)size / uplink.BytesPerSecond:0.#} s");
        await AssertObjectsAreTheEmbeddedFilesAsync("ps", "ps-out/");
    }

    /// <summary>
    /// A predict of data set <paramref name="name"/> to s3://lake/{name}-out/ on three nodes, the first behind a slow
    /// uplink, with the short request timeout; returned once that node's upload is under way (its reads send only
    /// request heads) and its uplink stalled altogether.
    /// </summary>
    private async Task<StalledUplinkRun> PredictWithAStalledUplinkAsync(string name, ThrottledProxy? othersUplink = null)
    {
        var predict = WithShortTimeout(PreparePredict(name, files: 6, rows: 240_000, rowGroupRows: 10_000));
        var uplink = new ThrottledProxy(_s3.Port, bytesPerSecond: 150_000);
        var (nodes, slow) = await NodesWithASlowUplinkAsync(uplink, othersUplink: othersUplink);
        var run = new StalledUplinkRun(uplink, nodes, slow, PredictOn(nodes, predict, name + "-out/"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (uplink.BytesUp < 100_000 && !run.Coordinator.HasExited && clock.Elapsed < PredictTimeout) await Task.Delay(10);
        uplink.Pause();
        return run;
    }

    private sealed record StalledUplinkRun(ThrottledProxy Uplink, WorkerNodes Nodes, GmmProcess Slow, GmmProcess Coordinator) : IDisposable
    {
        public void Dispose()
        {
            Coordinator.Dispose();
            Nodes.Dispose();
            Uplink.Dispose();
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task A_node_given_up_on_mid_upload_whose_upload_ends_after_the_job_leaves_every_object_standing()
    {
        using var run = await PredictWithAStalledUplinkAsync("pg");
        var (uplink, slow, coordinator) = (run.Uplink, run.Slow, run.Coordinator);
        Assert.True(await coordinator.WaitForExitAsync(PredictTimeout) == 0, coordinator.ToString());
        Assert.Contains("wrote no shard of s3://lake/pg-out/", coordinator.Stderr); // given up on; another node wrote that file
        await AssertObjectsAreTheEmbeddedFilesAsync("pg", "pg-out/");
        // The stalled upload ends after the job: the same bytes again over the other node's object, which stands.
        uplink.Resume();
        await slow.WaitForStderrAsync("gmm node: wrote s3://lake/pg-out/", PredictTimeout);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await AssertObjectsAreTheEmbeddedFilesAsync("pg", "pg-out/");
        Assert.Empty(GmmLeftoverFiles("tmp-slow"));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_job_cancelled_while_a_node_given_up_on_still_uploads_waits_for_it_and_leaves_no_object()
    {
        // The other nodes upload slowly too, so the file taken from the given-up node cannot end the job before Ctrl+C.
        using var othersUplink = new ThrottledProxy(_s3.Port, bytesPerSecond: 150_000);
        using var run = await PredictWithAStalledUplinkAsync("pw", othersUplink);
        var (uplink, slow, coordinator) = (run.Uplink, run.Slow, run.Coordinator);
        await coordinator.WaitForStderrAsync("wrote no shard of s3://lake/pw-out/", PredictTimeout);
        coordinator.Signal("INT");
        // The given-up node's upload, under way all along, now ends at once: the coordinator hears of it and removes it too.
        await Task.Delay(TimeSpan.FromSeconds(1));
        uplink.Resume(bytesPerSecond: int.MaxValue);
        Assert.True(await coordinator.WaitForExitAsync(PredictTimeout) == 130, coordinator.ToString());
        Assert.Contains("gmm node: wrote s3://lake/pw-out/", slow.Stderr); // before the coordinator exited
        using var client = S3Client.For(_s3.Endpoint);
        Assert.Empty(client.Keys("lake", "pw-out/"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(client.Keys("lake", "pw-out/"));
        Assert.Empty(client.OpenUploads("lake"));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_predict_to_s3_cancelled_once_objects_stand_leaves_no_object_and_no_upload()
    {
        var predict = PreparePredict("pc", files: 6, rows: 240_000, rowGroupRows: 10_000);
        using var uplink = new ThrottledProxy(_s3.Port, bytesPerSecond: 150_000);
        var (nodes, _) = await NodesWithASlowUplinkAsync(uplink, partSize: 64 << 10);
        using var __ = nodes;
        using var coordinator = PredictOn(nodes, predict, "pc-out/");
        using var client = S3Client.For(_s3.Endpoint);
        // One node's file cannot end while its uplink is paused mid-upload, so the job is surely still running when
        // it is cancelled, however fast the others are.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (uplink.BytesUp < 100_000 && !coordinator.HasExited && clock.Elapsed < PredictTimeout) await Task.Delay(10);
        uplink.Pause();
        await Task.WhenAny(nodes.Nodes.Select(n => n.WaitForStderrAsync("gmm node: wrote", PredictTimeout)));
        Assert.NotEmpty(client.Keys("lake", "pc-out/")); // an object stands when the job is cancelled
        coordinator.Signal("INT");
        uplink.Resume(bytesPerSecond: int.MaxValue);
        Assert.True(await coordinator.WaitForExitAsync(PredictTimeout) == 130, coordinator.ToString());
        Assert.Empty(client.Keys("lake", "pc-out/"));
        Assert.Empty(client.OpenUploads("lake"));
        // The files in flight were answered for (dropped, or written and removed) before the exit: nothing appears later.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(client.Keys("lake", "pc-out/"));
        foreach (var folder in new[] { "tmp-slow", "tmp-0", "tmp-1" }) Assert.Empty(GmmLeftoverFiles(folder));
    }

    [Fact(Timeout = 240_000)]
    public async Task A_node_that_may_read_but_not_write_loses_its_files_to_the_others_and_only_such_nodes_fail_the_job_with_the_cluster_code()
    {
        var predict = PreparePredict("pr", files: 4, rows: 8000, rowGroupRows: 1000);
        using var readOnly = new FaultyProxy(_s3.Port, FaultyProxy.Fault.DenyWrites); // S3's answer to a key without s3:PutObject
        var readOnlyEnv = Environment();
        readOnlyEnv["AWS_ENDPOINT_URL_S3"] = readOnly.Endpoint;
        using var client = S3Client.For(_s3.Endpoint);

        using (var nodes = new WorkerNodes(_work.Path))
        {
            await nodes.StartAsync(readOnlyEnv);
            for (var i = 0; i < 2; i++) await nodes.StartAsync(Environment());
            using var coordinator = PredictOn(nodes, predict, "pr-out/");
            Assert.True(await coordinator.WaitForExitAsync(PredictTimeout) == 0, coordinator.ToString());
            Assert.Matches(@"s3://lake/pr-out/part-0000\d\.parquet: access denied \(AccessDenied\)", coordinator.Stderr); // the node given up, in a warning
            await AssertObjectsAreTheEmbeddedFilesAsync("pr", "pr-out/");
        }

        using (var nodes = new WorkerNodes(_work.Path))
        {
            for (var i = 0; i < 2; i++) await nodes.StartAsync(readOnlyEnv);
            using var coordinator = PredictOn(nodes, predict, "pr-denied/", minWorkers: 2);
            Assert.Equal(3, await coordinator.WaitForExitAsync(PredictTimeout));
            var errors = coordinator.Stderr.Split('\n').Where(l => l.StartsWith("gmm: error:", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 1, coordinator.ToString());
            Assert.Matches(@"^gmm: error: no worker node left to predict with; last: s3://lake/pr-denied/part-0000\d\.parquet: access denied \(AccessDenied\)$", errors[0]);
            Assert.Empty(client.Keys("lake", "pr-denied/"));
            Assert.Empty(client.OpenUploads("lake"));
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task A_worker_node_with_a_wrong_secret_key_refuses_the_fit_in_one_line_and_the_job_fails_with_the_cluster_code()
    {
        var wrong = Environment();
        wrong["AWS_SECRET_ACCESS_KEY"] = "WRONGSECRET";
        using var nodes = new WorkerNodes(_work.Path);
        var good = await nodes.StartAsync(Environment());
        var refusing = await nodes.StartAsync(wrong);
        using var coordinator = new GmmProcess(_work.Path, Environment(),
            ["fit", "s3://lake/set/", "-k", "3", "--seed", "3", "--columns", "x0,x1,x2", "--out", "s3://lake/refused/model.json", "--cluster",
             "--seed-nodes", nodes.SeedNodes, "--port", "0", "--join-timeout", "20s", "--min-workers", "2"]);
        Assert.Equal(3, await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(150)));
        var errors = coordinator.Stderr.Split('\n').Where(l => l.StartsWith("gmm: error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, coordinator.ToString());
        var address = System.Text.RegularExpressions.Regex.Match(refusing.Stderr, @"listening at (\S+);").Groups[1].Value;
        Assert.StartsWith("gmm: error: only 1 of 2 worker node(s) joined within 20 s; ", errors[0]);
        Assert.EndsWith($"node {address}: cannot read the data: s3://lake/set/part-00000.parquet: the object store at {_s3.Endpoint} refused the credentials " +
            "(SignatureDoesNotMatch); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE", errors[0]);
        foreach (var output in new[] { coordinator.Stderr, coordinator.Stdout, good.Stderr, refusing.Stderr })
        {
            Assert.DoesNotContain("WRONGSECRET", output);
            Assert.DoesNotContain(S3rverProcess.SecretKey, output); // S3RVER: the good key id and secret
        }
        using var client = S3Client.For(_s3.Endpoint);
        Assert.Empty(client.Keys("lake", "refused/"));
    }

    public void Dispose()
    {
        _work.Dispose();
        _s3.Dispose();
    }
}
