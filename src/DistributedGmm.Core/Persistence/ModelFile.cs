using System.Text.Json;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Persistence;

/// <summary>
/// The model file (docs/architecture.md): JSON with scikit-learn's names and shapes, written atomically,
/// validated on read.
/// </summary>
public static class ModelFile
{
    public const string Format = "distributed-gmm/1";
    private const double WeightSumTolerance = 1e-9;

    /// <summary>Far beyond any model a fit can produce (a GiB of JSON); a bigger "model" is not one, and reading it would exhaust memory.</summary>
    public const long MaxBytes = 1L << 30;

    public static void Write(string path, FittedModel model) =>
        AtomicFile.Write(path, stream => WriteTo(stream, model));

    public static string ToJson(FittedModel model)
    {
        using var memory = new MemoryStream();
        WriteTo(memory, model);
        return System.Text.Encoding.UTF8.GetString(memory.ToArray());
    }

    public static void WriteTo(Stream stream, FittedModel model)
    {
        var mixture = model.Mixture;
        EnsureFinite(mixture);
        // Read rejects such a file, so never write one.
        if (model.Columns.Count != mixture.Dimensions)
            throw new InvalidOperationException($"refusing to write a model with {model.Columns.Count} column names for {mixture.Dimensions} dimensions");
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteString("covariance_type", mixture.CovarianceType.ToName());
        json.WriteNumber("n_components", mixture.Components);
        json.WriteNumber("n_features", mixture.Dimensions);
        json.WriteStartArray("columns");
        foreach (var c in model.Columns) json.WriteStringValue(c);
        json.WriteEndArray();
        if (model.WeightColumn is { } weightColumn) json.WriteString("weight_column", weightColumn);
        json.WritePropertyName("weights");
        WriteVector(json, mixture.Weights);
        json.WritePropertyName("means");
        WriteMatrix(json, mixture.Means, mixture.Components, mixture.Dimensions);
        json.WritePropertyName("covariances");
        WriteCovariances(json, mixture);
        json.WriteNumber("n_samples", model.Samples);
        json.WriteNumber("n_iter", model.Iterations);
        json.WriteNumber("n_passes", model.Passes);
        json.WriteBoolean("converged", model.Converged);
        WriteNumberOrNull(json, "log_likelihood", model.LogLikelihood);
        WriteNumberOrNull(json, "mean_log_likelihood", model.MeanLogLikelihood);
        json.WriteStartArray("log_likelihood_history");
        foreach (var v in model.LogLikelihoodHistory)
        {
            if (!double.IsFinite(v)) throw new InvalidOperationException($"refusing to write a model with a non-finite log-likelihood ({v}) in its history");
            json.WriteNumberValue(v);
        }
        json.WriteEndArray();
        if (model.Prior is { } resolved)
        {
            // The prior the fit used, as mclust's defaultPrior returns it (the scale d × d for full and tied, one number otherwise).
            json.WriteStartObject("prior");
            json.WriteNumber("shrinkage", resolved.Shrinkage);
            json.WritePropertyName("mean");
            WriteVector(json, resolved.Mean);
            json.WriteNumber("dof", resolved.Dof);
            json.WritePropertyName("scale");
            if (resolved.Scale.Length == 1) json.WriteNumberValue(resolved.Scale[0]);
            else WriteMatrix(json, resolved.Scale, mixture.Dimensions, mixture.Dimensions);
            json.WriteEndObject();
        }
        if (model.DegenerateEvents.Count > 0) DegenerateEventsJson.Write(json, model.DegenerateEvents);
        WriteNumberOrNull(json, "bic", model.Bic);
        WriteNumberOrNull(json, "aic", model.Aic);
        if (model.Settings is { } s)
        {
            json.WriteStartObject("settings");
            json.WriteNumber("n_components", s.Components);
            json.WriteString("covariance_type", s.CovarianceType.ToName());
            json.WriteNumber("tol", s.Tol);
            json.WriteNumber("reg_covar", s.RegCovar);
            json.WriteNumber("max_iter", s.MaxIter);
            json.WriteString("init", s.InitModel is null ? s.Init.ToName() : "model");
            json.WriteNumber("n_init", s.NInit);
            json.WriteNumber("seed", s.Seed);
            json.WriteNumber("init_sample_rows", s.InitSampleRows);
            json.WriteString("on_degenerate", s.OnDegenerate.ToName());
            if (s.Prior is { } prior) PriorSettingsJson.Write(json, prior);
            if (s.Kernel is { } kernel) json.WriteString("kernel", KernelPaths.Name(kernel));
            json.WriteString("accelerate", s.Acceleration.ToName());
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.Flush();
    }

    public static FittedModel Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = RegularFile.ReadAll(path, MaxBytes);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException($"{path}: not a model file: {e.Message}");
        }
        catch (FileNotFoundException)
        {
            throw new ModelFileException($"{path}: model file not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ModelFileException($"{path}: model file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"{path}: cannot read the model file: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    public static FittedModel Parse(ReadOnlySpan<byte> utf8, string source)
    {
        // Editors on Windows save UTF-8 with a byte order mark; JSON readers ignore it (RFC 8259 §8.1), so do we.
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException e)
        {
            throw new ModelFileException($"{source}: not a JSON model file ({FirstLine(e.Message)})", e);
        }
        using (document)
        {
            return new ModelFileReader(document.RootElement, source).Read();
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    private static void EnsureFinite(GaussianMixture m)
    {
        // A model file never holds NaN or infinity: a degenerate fit fails before it gets here.
        if (!AllFinite(m.Weights) || !AllFinite(m.Means) || !AllFinite(m.Covariances))
            throw new InvalidOperationException("refusing to write a model with non-finite parameters");
    }

    private static bool AllFinite(double[] values)
    {
        foreach (var v in values) if (!double.IsFinite(v)) return false;
        return true;
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value); else json.WriteNull(name);
    }

    private static void WriteVector(Utf8JsonWriter json, ReadOnlySpan<double> values)
    {
        json.WriteStartArray();
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    private static void WriteMatrix(Utf8JsonWriter json, double[] values, int rows, int columns)
    {
        json.WriteStartArray();
        for (var r = 0; r < rows; r++) WriteVector(json, values.AsSpan(r * columns, columns));
        json.WriteEndArray();
    }

    private static void WriteCovariances(Utf8JsonWriter json, GaussianMixture m)
    {
        int k = m.Components, d = m.Dimensions;
        switch (m.CovarianceType)
        {
            case CovarianceType.Full:
                json.WriteStartArray();
                for (var c = 0; c < k; c++) WriteMatrix(json, m.Covariances.AsSpan(c * d * d, d * d).ToArray(), d, d);
                json.WriteEndArray();
                break;
            case CovarianceType.Diag:
                WriteMatrix(json, m.Covariances, k, d);
                break;
            case CovarianceType.Spherical:
                WriteVector(json, m.Covariances);
                break;
            case CovarianceType.Tied:
                WriteMatrix(json, m.Covariances, d, d);
                break;
        }
    }

    /// <summary>Reads and validates one document; every failure names the file and the field.</summary>
    private sealed class ModelFileReader(JsonElement root, string source)
    {
        public FittedModel Read()
        {
            if (root.ValueKind != JsonValueKind.Object) Fail("the top level is not a JSON object");
            RefuseDuplicateKeys(root, "");
            var format = OptionalString("format");
            if (format != Format) Fail(format is null ? $"no \"format\" field (expected \"{Format}\")" : $"format is \"{format}\", expected \"{Format}\"");
            var typeName = RequiredString("covariance_type");
            if (!CovarianceTypeNames.TryParse(typeName, out var type))
                Fail($"covariance_type is \"{typeName}\", expected full, diag, spherical or tied");

            var weights = Vector(Required("weights"), "weights");
            var k = weights.Length;
            if (k == 0) Fail("weights is empty");
            var means = Matrix(Required("means"), "means", k, null, out var d);
            if (d == 0) Fail("means has rows of no values");
            var covariances = Covariances(Required("covariances"), type, k, d);

            var columns = new List<string>();
            if (root.TryGetProperty("columns", out var cols) && cols.ValueKind != JsonValueKind.Null)
            {
                if (cols.ValueKind != JsonValueKind.Array) Fail("columns is not an array of names");
                foreach (var c in cols.EnumerateArray())
                {
                    if (c.ValueKind != JsonValueKind.String) Fail("columns is not an array of names");
                    columns.Add(c.GetString()!);
                }
                if (columns.Count != d) Fail($"columns names {columns.Count} columns, but the means have {d}");
            }
            else
            {
                for (var i = 0; i < d; i++) columns.Add($"x{i}");
            }

            ValidateWeights(weights);
            var mixture = new GaussianMixture(type, k, d, weights, means, covariances);
            ValidateCovariances(mixture);

            if (OptionalLong("n_components") is { } nComponents && nComponents != k)
                Fail($"n_components is {nComponents}, but weights has {k} values");
            if (OptionalLong("n_features") is { } nFeatures && nFeatures != d)
                Fail($"n_features is {nFeatures}, but the means have {d} columns");

            var history = new List<double>();
            if (root.TryGetProperty("log_likelihood_history", out var h) && h.ValueKind != JsonValueKind.Null)
                history.AddRange(Vector(h, "log_likelihood_history"));
            var iterations = OptionalLong("n_iter") ?? history.Count;
            if (iterations < 0 || iterations > int.MaxValue) Fail($"n_iter is {iterations}, expected a count of iterations");
            // One history value a data pass; plain EM (and files from before n_passes) takes one pass an iteration.
            var settings = ReadSettings(type, k);
            var passes = OptionalLong("n_passes") ?? iterations;
            if (settings?.Acceleration != Acceleration.Squarem)
            {
                if (history.Count > 0 && iterations != history.Count)
                    Fail($"n_iter is {iterations}, but log_likelihood_history has {history.Count} values (one per iteration)");
                if (passes != iterations) Fail($"n_passes is {passes}, but plain EM takes one data pass an iteration and n_iter is {iterations}");
            }
            else
            {
                if (passes < iterations || passes > int.MaxValue) Fail($"n_passes is {passes}, expected a count of data passes of at least n_iter ({iterations})");
                if (history.Count > 0 && passes != history.Count)
                    Fail($"n_passes is {passes}, but log_likelihood_history has {history.Count} values (one per data pass)");
            }
            var weightColumn = OptionalString("weight_column");
            if (root.TryGetProperty("weight_column", out var wc) && wc.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                Fail($"weight_column is {Describe(wc)}, expected a column name");
            if (weightColumn is not null && columns.Contains(weightColumn, StringComparer.Ordinal))
                Fail($"weight_column \"{weightColumn}\" is also a feature column");
            // Unweighted, n_samples counts rows; with a weight column it is Σ w_i, any number ≥ 0.
            var samples = weightColumn is null ? OptionalLong("n_samples") ?? 0 : OptionalDouble("n_samples") ?? 0;
            if (samples < 0) Fail($"n_samples is {Show(samples)}, expected a count of rows");
            if (weightColumn is null && iterations > 0 && samples < k)
                Fail($"n_samples is {Show(samples)}, but a fit of {k} components needs at least {k} rows");

            return new FittedModel
            {
                Mixture = mixture,
                Columns = columns,
                WeightColumn = weightColumn,
                Samples = samples,
                Iterations = (int)iterations,
                Passes = (int)passes,
                Converged = OptionalBool("converged") ?? false,
                LogLikelihood = OptionalDouble("log_likelihood") ?? double.NaN,
                MeanLogLikelihood = OptionalDouble("mean_log_likelihood") ?? double.NaN,
                LogLikelihoodHistory = history,
                DegenerateEvents = ReadEvents(),
                Settings = settings,
            };
        }

        private FitSettings? ReadSettings(CovarianceType type, int k)
        {
            if (!root.TryGetProperty("settings", out var s) || s.ValueKind != JsonValueKind.Object) return null;
            var settings = new FitSettings { Components = k, CovarianceType = type };
            if (s.TryGetProperty("tol", out var v) && v.ValueKind == JsonValueKind.Number) settings = settings with { Tol = v.GetDouble() };
            if (s.TryGetProperty("reg_covar", out v) && v.ValueKind == JsonValueKind.Number) settings = settings with { RegCovar = v.GetDouble() };
            if (SettingInt(s, "max_iter") is { } maxIter) settings = settings with { MaxIter = maxIter };
            if (SettingInt(s, "n_init") is { } nInit) settings = settings with { NInit = nInit };
            if (SettingInt(s, "seed") is { } seed) settings = settings with { Seed = seed };
            if (SettingInt(s, "init_sample_rows") is { } sampleRows) settings = settings with { InitSampleRows = sampleRows };
            if (s.TryGetProperty("kernel", out v))
            {
                if (v.ValueKind != JsonValueKind.String || !KernelPaths.TryParse(v.GetString(), out var kernel) || kernel is null)
                    Fail($"settings.kernel is {v.GetRawText()}, expected \"scalar\", \"vector256\" or \"vector512\"");
                else settings = settings with { Kernel = kernel };
            }
            if (s.TryGetProperty("accelerate", out v))
            {
                if (v.ValueKind != JsonValueKind.String || !AccelerationNames.TryParse(v.GetString(), out var acceleration))
                    Fail($"settings.accelerate is {v.GetRawText()}, expected \"none\" or \"squarem\"");
                else settings = settings with { Acceleration = acceleration };
            }
            if (s.TryGetProperty("init", out v) && v.ValueKind == JsonValueKind.String && InitMethodNames.TryParse(v.GetString(), out var init))
                settings = settings with { Init = init };
            if (s.TryGetProperty("prior", out v) && v.ValueKind == JsonValueKind.Object)
            {
                double? Number(string name) => v.TryGetProperty(name, out var x) && x.ValueKind == JsonValueKind.Number ? x.GetDouble() : null;
                settings = settings with
                {
                    Prior = new PriorSettings { Shrinkage = Number("shrinkage") ?? PriorSettings.DefaultShrinkage, Dof = Number("dof"), Scale = Number("scale") },
                };
            }
            if (s.TryGetProperty("on_degenerate", out v))
            {
                if (v.ValueKind != JsonValueKind.String || !DegeneratePolicyNames.TryParse(v.GetString(), out var policy))
                    Fail($"settings.on_degenerate is {v.GetRawText()}, expected \"error\", \"reseed\" or \"drop\"");
                else settings = settings with { OnDegenerate = policy };
            }
            return settings;
        }

        private List<DegenerateEvent> ReadEvents()
        {
            var events = new List<DegenerateEvent>();
            if (!root.TryGetProperty("degenerate_events", out var list) || list.ValueKind == JsonValueKind.Null) return events;
            if (list.ValueKind != JsonValueKind.Array) Fail("degenerate_events is not an array");
            var i = 0;
            foreach (var e in list.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object
                    || !e.TryGetProperty("iteration", out var iteration) || !iteration.TryGetInt32(out var at) || at < 1
                    || !e.TryGetProperty("component", out var component) || !component.TryGetInt32(out var c) || c < 0
                    || !e.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.String
                    || !DegeneratePolicyNames.TryParse(action.GetString(), out var policy) || policy == DegeneratePolicy.Error)
                    Fail($"degenerate_events[{i}] is not {{\"iteration\": n ≥ 1, \"component\": c ≥ 0, \"action\": \"reseed\" or \"drop\"}}");
                else events.Add(new DegenerateEvent(at, c, policy));
                i++;
            }
            return events;
        }

        /// <summary>An integer setting, or null when absent; a number that is not a 32-bit integer is the file's fault.</summary>
        private int? SettingInt(JsonElement settings, string name)
        {
            if (!settings.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number) return null;
            if (!v.TryGetInt32(out var value)) Fail($"settings.{name} is {v.GetRawText()}, expected an integer");
            return value;
        }

        private void ValidateWeights(double[] weights)
        {
            double sum = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                if (!(weights[i] > 0)) Fail($"weights[{i}] is {Show(weights[i])}: every weight must be positive");
                sum += weights[i];
            }
            if (Math.Abs(sum - 1.0) > WeightSumTolerance) Fail($"weights sum to {sum:R}, expected 1 (within {WeightSumTolerance})");
        }

        private void ValidateCovariances(GaussianMixture m)
        {
            int d = m.Dimensions;
            var matrices = m.CovarianceType == CovarianceType.Tied ? 1 : m.Components;
            switch (m.CovarianceType)
            {
                case CovarianceType.Full:
                case CovarianceType.Tied:
                    var lower = new double[d * d];
                    for (var c = 0; c < matrices; c++)
                    {
                        var a = m.Covariances.AsSpan(c * d * d, d * d);
                        var what = m.CovarianceType == CovarianceType.Tied ? "covariances" : $"covariances[{c}]";
                        for (var i = 0; i < d; i++)
                        for (var j = i + 1; j < d; j++)
                        {
                            var x = a[i * d + j];
                            var y = a[j * d + i];
                            if (Math.Abs(x - y) > 1e-9 * Math.Max(1.0, Math.Max(Math.Abs(x), Math.Abs(y))))
                                Fail($"{what} is not symmetric: [{i}][{j}] = {x:R} but [{j}][{i}] = {y:R}");
                        }
                        if (!Cholesky.TryDecompose(a, d, lower)) Fail($"{what} is not positive definite");
                    }
                    break;
                default:
                    for (var i = 0; i < m.Covariances.Length; i++)
                        if (!(m.Covariances[i] > 0))
                            Fail($"covariances{Index(m, i)} is {Show(m.Covariances[i])}: variances must be positive");
                    break;
            }
        }

        private static string Index(GaussianMixture m, int flat) =>
            m.CovarianceType == CovarianceType.Diag ? $"[{flat / m.Dimensions}][{flat % m.Dimensions}]" : $"[{flat}]";

        private double[] Covariances(JsonElement e, CovarianceType type, int k, int d)
        {
            switch (type)
            {
                case CovarianceType.Full:
                    if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != k)
                        Fail($"covariances must be [{k}][{d}][{d}] for full covariance");
                    var all = new double[k * d * d];
                    var c = 0;
                    foreach (var matrix in e.EnumerateArray())
                    {
                        var m = Matrix(matrix, $"covariances[{c}]", d, d, out _);
                        m.CopyTo(all, c * d * d);
                        c++;
                    }
                    return all;
                case CovarianceType.Diag:
                    return Matrix(e, "covariances", k, d, out _);
                case CovarianceType.Spherical:
                    var v = Vector(e, "covariances");
                    if (v.Length != k) Fail($"covariances has {v.Length} values, expected {k} for spherical covariance");
                    return v;
                default:
                    return Matrix(e, "covariances", d, d, out _);
            }
        }

        private double[] Matrix(JsonElement e, string name, int rows, int? columns, out int width)
        {
            if (e.ValueKind != JsonValueKind.Array) Fail($"{name} is not an array");
            if (e.GetArrayLength() != rows) Fail($"{name} has {e.GetArrayLength()} rows, expected {rows}");
            width = columns ?? -1;
            var result = new List<double>();
            var r = 0;
            foreach (var row in e.EnumerateArray())
            {
                var values = Vector(row, $"{name}[{r}]");
                if (width < 0) width = values.Length;
                if (values.Length != width) Fail($"{name}[{r}] has {values.Length} values, expected {width}");
                result.AddRange(values);
                r++;
            }
            if (width < 0) width = 0;
            return result.ToArray();
        }

        private double[] Vector(JsonElement e, string name)
        {
            if (e.ValueKind != JsonValueKind.Array) Fail($"{name} is not an array of numbers");
            var values = new double[e.GetArrayLength()];
            var i = 0;
            foreach (var v in e.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x))
                    Fail($"{name}[{i}] is {Describe(v)}, expected a finite number");
                values[i++] = v.GetDouble();
            }
            return values;
        }

        private static string Describe(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.Null => "null",
            JsonValueKind.String => $"the string \"{v.GetString()}\"",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => v.GetRawText(),
        };

        private static string Show(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        private JsonElement Required(string name)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) Fail($"no \"{name}\" field");
            return e;
        }

        private string RequiredString(string name)
        {
            var e = Required(name);
            if (e.ValueKind != JsonValueKind.String) Fail($"{name} is not a string");
            return e.GetString()!;
        }

        private string? OptionalString(string name) =>
            root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

        /// <summary>An integer field, or null when absent or null; anything else (a fraction, a string) is the file's fault.</summary>
        private long? OptionalLong(string name)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            long v = 0;
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out v)) Fail($"{name} is {Describe(e)}, expected an integer");
            return v;
        }

        /// <summary>A finite number, or null when absent or null (the writer's way of saying "not computed").</summary>
        private double? OptionalDouble(string name)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            double v = 0;
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out v) || !double.IsFinite(v)) Fail($"{name} is {Describe(e)}, expected a finite number");
            return v;
        }

        private bool? OptionalBool(string name)
        {
            if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) Fail($"{name} is {Describe(e)}, expected true or false");
            return e.ValueKind == JsonValueKind.True;
        }

        /// <summary>JSON allows a key twice and readers disagree on which one counts: a model file must say one thing.</summary>
        private void RefuseDuplicateKeys(JsonElement e, string where)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var p in e.EnumerateObject())
                    {
                        var at = where.Length == 0 ? p.Name : $"{where}.{p.Name}";
                        if (!seen.Add(p.Name)) Fail($"the key \"{at}\" appears more than once");
                        RefuseDuplicateKeys(p.Value, at);
                    }
                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in e.EnumerateArray())
                    {
                        if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array) RefuseDuplicateKeys(item, $"{where}[{i}]");
                        i++;
                    }
                    break;
            }
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        private void Fail(string what) => throw new ModelFileException($"{source}: invalid model file: {what}");
    }
}
