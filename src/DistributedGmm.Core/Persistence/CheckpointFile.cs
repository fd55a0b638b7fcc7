using System.Text.Json;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Persistence;

/// <summary>
/// A <see cref="FitCheckpoint"/> as JSON, written atomically (<see cref="AtomicFile"/>) and validated on read.
/// Doubles are written in their shortest round-trip form and read back to the same bits, so a resumed fit
/// continues exactly where the checkpoint left it.
/// </summary>
public static class CheckpointFile
{
    public const string Format = "distributed-gmm-checkpoint/1";
    private const double WeightSumTolerance = 1e-9;

    /// <summary>The checkpoint's file in a checkpoint folder.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, "checkpoint.json");

    public static void Write(string path, FitCheckpoint checkpoint) => AtomicFile.Write(path, stream => WriteTo(stream, checkpoint));

    public static void WriteTo(Stream stream, FitCheckpoint checkpoint)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteStartObject("settings");
        WriteSettings(json, checkpoint.Settings);
        json.WriteEndObject();
        json.WriteStartObject("data");
        var data = checkpoint.Data;
        WriteStrings(json, "files", data.Files);
        json.WriteStartArray("file_rows");
        foreach (var r in data.FileRows) json.WriteNumberValue(r);
        json.WriteEndArray();
        json.WriteStartArray("file_sizes");
        foreach (var b in data.FileSizes) json.WriteNumberValue(b);
        json.WriteEndArray();
        WriteStrings(json, "footer_hashes", data.FooterHashes.Select(Hex));
        WriteStrings(json, "columns", data.Columns);
        json.WriteNumber("shards", data.Shards);
        json.WriteString("options", data.Options);
        json.WriteEndObject();
        WriteRun(json, "current", checkpoint.State.Current);
        WriteRun(json, "best", checkpoint.State.Best);
        WriteStrings(json, "shard_hashes", checkpoint.State.ShardHashes.Select(Hex));
        json.WriteEndObject();
        json.Flush();
    }

    public static FitCheckpoint Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = RegularFile.ReadAll(path, ModelFile.MaxBytes);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{path}: not a checkpoint: {e.Message}");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CheckpointException($"{path}: no checkpoint to resume from");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read the checkpoint: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    public static FitCheckpoint Parse(byte[] utf8, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != Format)
                throw new CheckpointException($"{source}: not a checkpoint (expected \"format\": \"{Format}\")");
            var settings = ReadSettings(root.GetProperty("settings"));
            settings.Validate();
            var d = root.GetProperty("data");
            var data = new DataFingerprint(Strings(d.GetProperty("files")), d.GetProperty("file_rows").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                d.GetProperty("file_sizes").EnumerateArray().Select(e => e.GetInt64()).ToArray(), Hashes(d.GetProperty("footer_hashes")),
                Strings(d.GetProperty("columns")), d.GetProperty("shards").GetInt32(), d.GetProperty("options").GetString()!);
            if (data.FileRows.Count != data.Files.Count || data.FileSizes.Count != data.Files.Count || data.FooterHashes.Count != data.Files.Count)
                throw new CheckpointException($"{source}: the data section lists {data.Files.Count} files but not as many rows, sizes and footer hashes");
            var shardHashes = Hashes(root.GetProperty("shard_hashes"));
            if (shardHashes.Length != 0 && shardHashes.Length != data.Shards)
                throw new CheckpointException($"{source}: {shardHashes.Length} shard hashes for {data.Shards} shards");
            var state = new FitState(ReadRun(root.GetProperty("current"), settings), ReadRun(root.GetProperty("best"), settings))
            {
                ShardHashes = shardHashes,
            };
            if (state.Current is null && state.Best is null) throw new CheckpointException($"{source}: the checkpoint holds no run");
            if (state.Current is { } c && c.Restart >= settings.NInit)
                throw new CheckpointException($"{source}: restart {c.Restart} is beyond n_init {settings.NInit}");
            foreach (var run in new[] { state.Current, state.Best })
                if (run is not null && run.Parameters.Dimensions != data.Columns.Count)
                    throw new CheckpointException($"{source}: the parameters have {run.Parameters.Dimensions} dimensions for {data.Columns.Count} columns");
            return new FitCheckpoint(settings, data, state);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException
                                      or ArgumentException or NullReferenceException)
        {
            throw new CheckpointException($"{source}: a damaged or incompatible checkpoint ({e.Message.Split('\n')[0].Trim()})", e);
        }
    }

    private static void WriteSettings(Utf8JsonWriter json, FitSettings s)
    {
        json.WriteNumber("n_components", s.Components);
        json.WriteString("covariance_type", s.CovarianceType.ToName());
        json.WriteNumber("tol", s.Tol);
        json.WriteNumber("reg_covar", s.RegCovar);
        json.WriteNumber("max_iter", s.MaxIter);
        json.WriteString("init", s.Init.ToName());
        json.WriteNumber("n_init", s.NInit);
        json.WriteNumber("seed", s.Seed);
        json.WriteNumber("init_sample_rows", s.InitSampleRows);
        json.WriteNumber("kmeans_max_iter", s.KMeansMaxIter);
        json.WriteString("kernel", s.Kernel is { } k ? KernelPaths.Name(k) : "auto");
        json.WriteString("accelerate", s.Acceleration.ToName());
        if (s.InitModel is { } m) WriteMixture(json, "init_model", m);
        else json.WriteNull("init_model");
        json.WriteString("on_degenerate", s.OnDegenerate.ToName());
        if (s.Prior is { } prior) PriorSettingsJson.Write(json, prior);
    }

    private static FitSettings ReadSettings(JsonElement e) => new()
    {
        Components = e.GetProperty("n_components").GetInt32(),
        CovarianceType = CovarianceTypeNames.TryParse(e.GetProperty("covariance_type").GetString(), out var type)
            ? type : throw new FormatException("unknown covariance_type"),
        Tol = e.GetProperty("tol").GetDouble(),
        RegCovar = e.GetProperty("reg_covar").GetDouble(),
        MaxIter = e.GetProperty("max_iter").GetInt32(),
        Init = InitMethodNames.TryParse(e.GetProperty("init").GetString(), out var init) ? init : throw new FormatException("unknown init"),
        NInit = e.GetProperty("n_init").GetInt32(),
        Seed = e.GetProperty("seed").GetInt32(),
        InitSampleRows = e.GetProperty("init_sample_rows").GetInt32(),
        KMeansMaxIter = e.GetProperty("kmeans_max_iter").GetInt32(),
        Kernel = KernelPaths.TryParse(e.GetProperty("kernel").GetString(), out var kernel) ? kernel : throw new FormatException("unknown kernel"),
        InitModel = ReadMixture(e.GetProperty("init_model")),
        // Checkpoints from before acceleration existed are plain EM.
        Acceleration = !e.TryGetProperty("accelerate", out var a) ? Acceleration.None
            : AccelerationNames.TryParse(a.GetString(), out var acceleration) ? acceleration : throw new FormatException("unknown accelerate"),
        OnDegenerate = !e.TryGetProperty("on_degenerate", out var policy) ? DegeneratePolicy.Error
            : DegeneratePolicyNames.TryParse(policy.GetString(), out var p) ? p : throw new FormatException("unknown on_degenerate"),
        Prior = e.TryGetProperty("prior", out var prior) && prior.ValueKind == JsonValueKind.Object
            ? new PriorSettings
            {
                Shrinkage = prior.GetProperty("shrinkage").GetDouble(),
                Dof = prior.GetProperty("dof").ValueKind == JsonValueKind.Null ? null : prior.GetProperty("dof").GetDouble(),
                Scale = prior.GetProperty("scale").ValueKind == JsonValueKind.Null ? null : prior.GetProperty("scale").GetDouble(),
            }
            : null,
    };

    private static void WriteRun(Utf8JsonWriter json, string name, RunState? run)
    {
        if (run is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartObject(name);
        json.WriteNumber("restart", run.Restart);
        json.WriteNumber("iteration", run.Iteration);
        json.WriteBoolean("converged", run.Converged);
        WriteDoubles(json, "log_likelihood_history", run.History);
        WriteMixture(json, "parameters", run.Parameters);
        if (run.Squarem is { } s) WriteSquarem(json, s);
        DegenerateEventsJson.Write(json, run.Events);
        json.WriteEndObject();
    }

    private static void WriteSquarem(Utf8JsonWriter json, SquaremState s)
    {
        json.WriteStartObject("squarem");
        json.WriteString("phase", s.Phase.ToString());
        json.WriteNumber("cycles", s.Cycles);
        json.WriteNumber("step_length", s.StepLength);
        json.WriteNumber("step_max", s.StepMax);
        WriteOptionalMixture(json, "base", s.Base);
        json.WriteNumber("base_log_likelihood", s.BaseLogLikelihood);
        json.WriteNumber("base_mean_log_likelihood", s.BaseMeanLogLikelihood);
        json.WriteNumber("cycle_gain", s.CycleGain);
        WriteOptionalMixture(json, "first", s.First);
        json.WriteNumber("first_mean_log_likelihood", s.FirstMeanLogLikelihood);
        WriteOptionalMixture(json, "second", s.Second);
        json.WriteEndObject();
    }

    private static void WriteOptionalMixture(Utf8JsonWriter json, string name, GaussianMixture? m)
    {
        if (m is null) json.WriteNull(name);
        else WriteMixture(json, name, m);
    }

    private static SquaremState? ReadSquarem(JsonElement run, FitSettings settings)
    {
        if (!run.TryGetProperty("squarem", out var e) || e.ValueKind == JsonValueKind.Null)
            return settings.Acceleration == Acceleration.Squarem ? throw new FormatException("the run has no squarem state") : null;
        if (settings.Acceleration != Acceleration.Squarem) throw new FormatException("a squarem state in a plain EM fit");
        GaussianMixture? Mixture(string name)
        {
            var m = ReadMixture(e.GetProperty(name));
            if (m is not null && (m.Components != settings.Components || m.CovarianceType != settings.CovarianceType))
                throw new FormatException($"the squarem {name} parameters do not match the settings");
            return m;
        }
        var state = new SquaremState(
            Enum.TryParse<SquaremPhase>(e.GetProperty("phase").GetString(), ignoreCase: false, out var phase) && Enum.IsDefined(phase)
                ? phase : throw new FormatException("unknown squarem phase"),
            e.GetProperty("cycles").GetInt32(), e.GetProperty("step_length").GetDouble(), e.GetProperty("step_max").GetDouble(),
            Mixture("base"), e.GetProperty("base_log_likelihood").GetDouble(), e.GetProperty("base_mean_log_likelihood").GetDouble(), e.GetProperty("cycle_gain").GetDouble(),
            Mixture("first"), e.GetProperty("first_mean_log_likelihood").GetDouble(), Mixture("second"));
        var complete = state.Phase switch
        {
            SquaremPhase.Start => true,
            SquaremPhase.First => state.Base is not null && state.First is not null,
            _ => state.Base is not null && state.First is not null && state.Second is not null,
        };
        if (!complete || state.StepMax < Squarem.StepMax0 || state.StepLength < Squarem.StepMin || state.Cycles < 0)
            throw new FormatException("the squarem state is incomplete");
        return state;
    }

    private static RunState? ReadRun(JsonElement e, FitSettings settings)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        var history = Doubles(e.GetProperty("log_likelihood_history"));
        if (history.Length != e.GetProperty("iteration").GetInt32()) throw new FormatException("iteration does not match the history");
        if (history.Length > settings.MaxIter) throw new FormatException("more iterations than max_iter");
        var parameters = ReadMixture(e.GetProperty("parameters")) ?? throw new FormatException("no parameters");
        // Fewer components than asked only where --on-degenerate took some out.
        var components = settings.OnDegenerate == DegeneratePolicy.Error
            ? parameters.Components == settings.Components
            : parameters.Components >= 1 && parameters.Components <= settings.Components;
        if (!components || parameters.CovarianceType != settings.CovarianceType)
            throw new FormatException("the parameters do not match the settings");
        var events = !e.TryGetProperty("degenerate_events", out var list) ? []
            : list.EnumerateArray().Select(v => new DegenerateEvent(v.GetProperty("iteration").GetInt32(), v.GetProperty("component").GetInt32(),
                DegeneratePolicyNames.TryParse(v.GetProperty("action").GetString(), out var action) && action != DegeneratePolicy.Error
                    ? action : throw new FormatException("unknown degenerate event action"))).ToArray();
        return new RunState(e.GetProperty("restart").GetInt32(), parameters, history, e.GetProperty("converged").GetBoolean()) 
        {
            Squarem = ReadSquarem(e, settings),
            Events = events,
        };
    }

    /// <summary>Flat, row-major arrays as <see cref="GaussianMixture"/> holds them.</summary>
    private static void WriteMixture(Utf8JsonWriter json, string name, GaussianMixture m)
    {
        json.WriteStartObject(name);
        json.WriteString("covariance_type", m.CovarianceType.ToName());
        json.WriteNumber("n_components", m.Components);
        json.WriteNumber("n_features", m.Dimensions);
        WriteDoubles(json, "weights", m.Weights);
        WriteDoubles(json, "means", m.Means);
        WriteDoubles(json, "covariances", m.Covariances);
        json.WriteEndObject();
    }

    private static GaussianMixture? ReadMixture(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null) return null;
        var type = CovarianceTypeNames.TryParse(e.GetProperty("covariance_type").GetString(), out var t) ? t : throw new FormatException("unknown covariance_type");
        var weights = Doubles(e.GetProperty("weights"));
        RequireWeights(weights);
        return new GaussianMixture(type, e.GetProperty("n_components").GetInt32(), e.GetProperty("n_features").GetInt32(),
            weights, Doubles(e.GetProperty("means")), Doubles(e.GetProperty("covariances")));
    }

    /// <summary>EM's weights are positive (the M-step guards them) and sum to 1; anything else did not come from a fit.</summary>
    private static void RequireWeights(double[] weights)
    {
        double sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] > 0)) throw new FormatException(FormattableString.Invariant($"weights[{i}] is {weights[i]:R}: every weight must be positive"));
            sum += weights[i];
        }
        if (Math.Abs(sum - 1) > WeightSumTolerance) throw new FormatException(FormattableString.Invariant($"the weights sum to {sum:R}, not 1"));
    }

    private static void WriteDoubles(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) throw new InvalidOperationException($"refusing to checkpoint a non-finite {name} value ({v})");
            json.WriteNumberValue(v);
        }
        json.WriteEndArray();
    }

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(v => v.GetString()!).ToArray();

    /// <summary>64-bit hashes as 16 hex digits: JSON numbers would lose bits beyond 2^53 in most readers.</summary>
    private static string Hex(ulong hash) => hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static ulong[] Hashes(JsonElement e) => e.EnumerateArray()
        .Select(v => ulong.TryParse(v.GetString(), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var h) && v.GetString()!.Length == 16
            ? h : throw new FormatException($"hash '{v}' is not 16 hex digits"))
        .ToArray();
}
