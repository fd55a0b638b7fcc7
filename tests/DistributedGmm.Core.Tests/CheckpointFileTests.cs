using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Core.Tests;

/// <summary>The checkpoint file: exact doubles, every field back, and refusal of another fit's checkpoint.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gmm-checkpoint-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly DataFingerprint Data = new(["/data/a.parquet", "/data/b.parquet"], [1000, 2500], [81_920, 204_800], [0x0123_4567_89AB_CDEFUL, ulong.MaxValue], ["x", "y"], 4,
        "on-invalid error, shard-rows 65536");

    /// <summary>Doubles whose shortest text form is long, tiny, huge or subnormal: all must come back to the same bits.</summary>
    private static readonly double[] Awkward =
    [
        0.1 + 0.2, 1.0 / 3, Math.PI * 1e-300, double.Epsilon, double.MaxValue, -double.MinValue / 3, 5e-324 * 7,
        BitConverter.Int64BitsToDouble(0x3FF0_0000_0000_0001), -0.0, 123456789.123456789, 2.2250738585072014E-308,
    ];

    private static GaussianMixture Mixture(double shift = 0) => new(CovarianceType.Diag, 2, 2,
        [0.3 + 0.2 / 3, 0.7 - 0.2 / 3], [Awkward[0] + shift, Awkward[1], Awkward[2], Awkward[7]], [Awkward[4] / 1e300, Awkward[3] + 1, 0.7, 1.0 / 7]);

    private static FitSettings Settings => new()
    {
        Components = 2, CovarianceType = CovarianceType.Diag, Tol = 1e-7 / 3, RegCovar = 1e-6 / 7, MaxIter = 50, NInit = 3, Seed = 9,
        Init = InitMethod.Random, InitSampleRows = 500,
    };

    private static FitCheckpoint Checkpoint(FitSettings? settings = null) => new(settings ?? Settings, Data,
        new FitState(new RunState(2, Mixture(1), [-3.5, Awkward[0] - 3, Awkward[1]], false), new RunState(0, Mixture(), Awkward.Take(5).ToArray(), true)));

    private string Path => CheckpointFile.PathIn(_directory);

    [Fact]
    public void Round_trip_keeps_every_double_bit_for_bit_and_every_field()
    {
        var written = Checkpoint(Settings with { InitModel = Mixture(2), Init = InitMethod.KMeans });
        CheckpointFile.Write(Path, written);
        var read = CheckpointFile.Read(Path);

        Assert.Equal(written.Data.ToString(), read.Data.ToString());
        Assert.True(written.Data.Matches(read.Data));
        Assert.Equal(FitCheckpoint.SettingsFingerprint(written.Settings), FitCheckpoint.SettingsFingerprint(read.Settings));
        Bits(written.Settings.InitModel!, read.Settings.InitModel!);
        foreach (var (a, b) in new[] { (written.State.Current!, read.State.Current!), (written.State.Best!, read.State.Best!) })
        {
            Assert.Equal(a.Restart, b.Restart);
            Assert.Equal(a.Converged, b.Converged);
            Assert.Equal(a.History.Select(BitConverter.DoubleToInt64Bits), b.History.Select(BitConverter.DoubleToInt64Bits));
            Bits(a.Parameters, b.Parameters);
        }
        Assert.Single(Directory.GetFiles(_directory)); // no temporary left beside it
    }

    [Fact]
    public void The_json_writer_round_trips_awkward_doubles_exactly()
    {
        var state = new FitState(new RunState(0, Mixture(), Awkward, false), null);
        var checkpoint = new FitCheckpoint(Settings with { MaxIter = Awkward.Length }, Data, state);
        using var memory = new MemoryStream();
        CheckpointFile.WriteTo(memory, checkpoint);
        var read = CheckpointFile.Parse(memory.ToArray(), "memory");
        Assert.Equal(Awkward.Select(BitConverter.DoubleToInt64Bits), read.State.Current!.History.Select(BitConverter.DoubleToInt64Bits));
        Assert.Null(read.State.Best);
    }

    [Fact]
    public void A_finished_fit_has_no_current_run()
    {
        var checkpoint = new FitCheckpoint(Settings, Data, new FitState(null, new RunState(1, Mixture(), [-2.0, -1.5], true)));
        CheckpointFile.Write(Path, checkpoint);
        var read = CheckpointFile.Read(Path);
        Assert.True(read.RestartsFinished);
        Assert.Equal(1, read.State.Best!.Restart);
    }

    [Fact]
    public void Matching_data_and_settings_are_accepted()
    {
        var checkpoint = Checkpoint();
        checkpoint.EnsureMatches(Settings, Data with { Files = [.. Data.Files] }, "cp");
    }

    [Theory]
    [InlineData("files", "different data")]
    [InlineData("rows", "different data")]
    [InlineData("columns", "different data")]
    [InlineData("shards", "different data")]
    [InlineData("options", "different data")]
    [InlineData("tol", "written with tol")]
    [InlineData("seed", "written with seed 9; this fit asks for 10")]
    [InlineData("components", "written with components 2; this fit asks for 3")]
    [InlineData("init-model", "written with init-model none")]
    [InlineData("prior", "written with prior none; this fit asks for shrinkage 0.01, dof d + 2, scale from the data")]
    [InlineData("on-degenerate", "written with on-degenerate error; this fit asks for drop")]
    public void Other_data_or_settings_are_refused_with_the_difference(string change, string expected)
    {
        var data = change switch
        {
            "files" => Data with { Files = ["/data/a.parquet", "/data/c.parquet"] },
            "rows" => Data with { FileRows = [1000, 2501] },
            "columns" => Data with { Columns = ["y", "x"] },
            "shards" => Data with { Shards = 5 },
            "options" => Data with { Options = "on-invalid skip, shard-rows 65536" },
            _ => Data,
        };
        var settings = change switch
        {
            "tol" => Settings with { Tol = Settings.Tol * (1 + 1e-15) },
            "seed" => Settings with { Seed = 10 },
            "components" => Settings with { Components = 3 },
            "init-model" => Settings with { InitModel = Mixture() },
            "prior" => Settings with { Prior = new PriorSettings() },
            "on-degenerate" => Settings with { OnDegenerate = DegeneratePolicy.Drop },
            _ => Settings,
        };
        var e = Assert.Throws<CheckpointException>(() => Checkpoint().EnsureMatches(settings, data, "cp.json"));
        Assert.StartsWith("cp.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_map_fit_that_dropped_a_component_round_trips_its_prior_its_events_and_its_fewer_components()
    {
        var settings = Settings with
        {
            Components = 3, OnDegenerate = DegeneratePolicy.Drop, Prior = new PriorSettings { Shrinkage = 0.1 / 3, Dof = 5.5, Scale = null },
        };
        var run = new RunState(0, Mixture(), [-3.5, -3.25], false) { Events = [new DegenerateEvent(2, 1, DegeneratePolicy.Drop)] };
        CheckpointFile.Write(Path, new FitCheckpoint(settings, Data, new FitState(run, null)));

        var back = CheckpointFile.Read(Path);

        Assert.Equal(settings.Prior, back.Settings.Prior);
        Assert.Equal(DegeneratePolicy.Drop, back.Settings.OnDegenerate);
        Assert.Equal(run.Events, back.State.Current!.Events);
        Assert.Equal(2, back.State.Current.Parameters.Components);
        back.EnsureMatches(settings, Data, "cp");
        // Without --on-degenerate, fewer components than asked cannot come from a fit.
        CheckpointFile.Write(Path, new FitCheckpoint(settings with { OnDegenerate = DegeneratePolicy.Error }, Data, new FitState(run, null)));
        Assert.Throws<CheckpointException>(() => CheckpointFile.Read(Path));
    }

    [Theory]
    [InlineData("{}", "not a checkpoint")]
    [InlineData("[1, 2", "damaged")]
    [InlineData("{\"format\": \"distributed-gmm/1\"}", "not a checkpoint")]
    [InlineData("{\"format\": \"distributed-gmm-checkpoint/1\"}", "damaged")]
    public void Damaged_files_are_refused_clearly(string text, string expected)
    {
        File.WriteAllText(Path, text);
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(Path));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_refused_and_a_missing_one_named()
    {
        CheckpointFile.Write(Path, Checkpoint());
        var bytes = File.ReadAllBytes(Path);
        File.WriteAllBytes(Path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => CheckpointFile.Read(Path)).Message);
        var missing = System.IO.Path.Combine(_directory, "none", "checkpoint.json");
        Assert.Contains("no checkpoint to resume from", Assert.Throws<CheckpointException>(() => CheckpointFile.Read(missing)).Message);
    }

    [Fact]
    public void A_resumed_run_continues_exactly_like_the_original()
    {
        var settings = new FitSettings { Components = 2, CovarianceType = CovarianceType.Full, MaxIter = 30, Tol = 0, Seed = 4, InitSampleRows = 400 };
        var truth = new GaussianMixture(CovarianceType.Diag, 2, 2, [0.4, 0.6], [0, 0, 5, 5], [1, 1, 1, 1]);
        var shards = new[] { new MixtureSampler(truth, 3).Sample(400), new MixtureSampler(truth, 5).Sample(300) };
        var original = new EmRun(Initializer.Initialize(shards[0], settings, 0), settings, 0);
        for (var i = 0; i < 4; i++) original.Advance(InMemoryFitter.Statistics(original.Current, shards), TimeSpan.Zero);
        var state = original.ToState();
        var resumed = EmRun.Resume(PreparedMixture.Prepare(state.Parameters, settings.RegCovar), settings, state.Restart, state.History, state.Converged);
        for (var i = 0; i < 5; i++)
        {
            original.Advance(InMemoryFitter.Statistics(original.Current, shards), TimeSpan.Zero);
            resumed.Advance(InMemoryFitter.Statistics(resumed.Current, shards), TimeSpan.Zero);
        }
        Bits(original.Current.Mixture, resumed.Current.Mixture);
        Assert.Equal(original.History.Select(BitConverter.DoubleToInt64Bits), resumed.History.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(9, resumed.Iteration);
    }

    private static void Bits(GaussianMixture expected, GaussianMixture actual)
    {
        Assert.Equal(expected.CovarianceType, actual.CovarianceType);
        Assert.Equal((expected.Components, expected.Dimensions), (actual.Components, actual.Dimensions));
        foreach (var (a, b) in new[] { (expected.Weights, actual.Weights), (expected.Means, actual.Means), (expected.Covariances, actual.Covariances) })
            Assert.Equal(a.Select(BitConverter.DoubleToInt64Bits), b.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData("[0.0, 0.0]", "weights[0] is 0")]
    [InlineData("[0.5, -0.5]", "weights[1] is -0.5")]
    [InlineData("[0.5, 0.25]", "sum to 0.75")]
    public void Weights_no_fit_produces_are_refused(string weights, string expected)
    {
        CheckpointFile.Write(Path, Checkpoint());
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path))!;
        node["current"]!["parameters"]!["weights"] = System.Text.Json.Nodes.JsonNode.Parse(weights);
        File.WriteAllText(Path, node.ToJsonString());
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(Path));
        Assert.Contains(expected, e.Message);
    }
}
