using System.CommandLine;
using System.Globalization;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Model;
using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>Options several commands share, made fresh for each command, and the parsing of their values.</summary>
internal static class CliOptions
{
    public static Argument<string[]> Data(bool required = true) => new("data")
    {
        Description = "Parquet files, directories (every *.parquet inside) or glob patterns",
        Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore,
    };

    public static Option<string> Model(bool required = true) => new("--model", "-m")
    {
        Description = "A model file written by 'gmm fit' or 'gmm select'",
        Required = required,
    };

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object on stdout" };

    public static Option<string?> Columns() => new("--columns")
    {
        Description = "Comma-separated feature columns (default: every column that is DOUBLE or FLOAT in all files)",
    };

    /// <summary>For commands that read a model: the columns must be the model's.</summary>
    public static Option<string?> ModelColumns() => new("--columns")
    {
        Description = "Comma-separated feature columns (default: the model's; if given, they must be the model's)",
    };

    public static Option<string> OnInvalid() => new("--on-invalid")
    {
        Description = "What to do with a row holding a null, NaN or infinite value: error or skip",
        DefaultValueFactory = _ => "error",
    };

    public static Option<string?> WeightColumn(string what) => new("--weight-column")
    {
        Description = $"A numeric column of row weights (Spark's weightCol), never a feature: {what}",
    };

    public static Option<int> ShardRows() => new("--shard-rows")
    {
        Description = "Most rows in one shard (row groups are cut into slices of at most this many rows)",
        DefaultValueFactory = _ => DataOptions.DefaultShardRows,
    };

    public static Option<int> Workers() => new("--workers")
    {
        Description = "Shard workers",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No per-iteration progress on stderr" };

    public static IReadOnlyList<string>? ParseColumns(string? text)
    {
        if (text is null) return null;
        // Not trimmed here: a column whose name has spaces must stay choosable. Discovery matches the exact name
        // first and only then the trimmed one, so "a, b" still means a and b.
        var columns = text.Split(',').Where(c => c.Trim().Length > 0).ToArray();
        if (columns.Length == 0) throw new UsageException("--columns names no column");
        return columns;
    }

    public static InvalidValuePolicy ParseOnInvalid(string text) => text.Trim().ToLowerInvariant() switch
    {
        "error" => InvalidValuePolicy.Error,
        "skip" => InvalidValuePolicy.Skip,
        _ => throw new UsageException($"--on-invalid must be error or skip, got '{text}'"),
    };

    public static CovarianceType ParseCovariance(string text) =>
        CovarianceTypeNames.TryParse(text, out var type)
            ? type
            : throw new UsageException($"--covariance must be full, diag, spherical or tied, got '{text}'");

    public static InitMethod ParseInit(string text) =>
        InitMethodNames.TryParse(text, out var method)
            ? method
            : throw new UsageException($"--init must be kmeans, k-means++, random or random-from-data, got '{text}'");

    /// <summary>
    /// Most shard workers in one process: each has its own reader and buffers, so an absurd count fails allocating
    /// them; far more than any machine has cores.
    /// </summary>
    public const int MaxWorkers = 1024;

    public static void RequireWorkers(int value, string option = "--workers")
    {
        if (value is < 1 or > MaxWorkers) throw new UsageException($"{option} must be between 1 and {MaxWorkers}, got {value}");
    }

    public static void RequirePositive(int value, string option)
    {
        if (value < 1) throw new UsageException($"{option} must be at least 1, got {value}");
    }

    /// <summary>The columns to read: those asked for, or the model's when none were asked for (and they must then agree).</summary>
    public static IReadOnlyList<string> ColumnsForModel(IReadOnlyList<string>? asked, FittedModel model, string modelPath)
    {
        if (asked is null) return model.Columns;
        if (asked.Count != model.Columns.Count || asked.Where((c, i) => c != model.Columns[i] && c.Trim() != model.Columns[i]).Any())
            throw new UsageException($"{modelPath}: the model was fitted on columns {string.Join(",", model.Columns)}, but --columns asks for {string.Join(",", asked)}");
        return model.Columns;
    }

    /// <summary>Most component counts one select may try: each is a whole fit.</summary>
    public const int MaxComponentCounts = 1000;

    /// <summary>Parses "3", "1..10", "2,4,8" or "1..4,8" into an ascending list of component counts.</summary>
    public static IReadOnlyList<int> ParseComponentRange(string text)
    {
        var result = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split("..");
            if (range.Length == 1 && TryInt(range[0], out var single)) result.Add(single);
            else if (range.Length == 2 && TryInt(range[0], out var from) && TryInt(range[1], out var to) && from <= to)
            {
                if ((long)to - from >= MaxComponentCounts)
                    throw new UsageException($"--components {part} names {(long)to - from + 1:N0} component counts; at most {MaxComponentCounts:N0} can be tried in one select");
                for (var k = from; k <= to; k++) result.Add(k);
            }
            else throw new UsageException($"--components must look like 3, 1..10 or 2,4,8; got '{text}'");
        }
        if (result.Count == 0) throw new UsageException($"--components names no component count: '{text}'");
        if (result.Count > MaxComponentCounts)
            throw new UsageException($"--components names {result.Count:N0} component counts; at most {MaxComponentCounts:N0} can be tried in one select");
        if (result.Min < 1) throw new UsageException($"--components must be at least 1, got {result.Min}");
        return result.ToList();

        static bool TryInt(string s, out int value) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    public static IReadOnlyList<CovarianceType> ParseCovarianceList(string text)
    {
        var types = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(ParseCovariance).Distinct().ToList();
        if (types.Count == 0) throw new UsageException("--covariance names no covariance type");
        return types;
    }

    /// <summary>--cache-mb in bytes (null: the runtime's default); a negative or overflowing size is a usage error.</summary>
    public static long? CacheBytes(long? megabytes) => megabytes switch
    {
        null => null,
        < 0 or > long.MaxValue >> 20 => throw new UsageException($"--cache-mb must be between 0 and {long.MaxValue >> 20}, got {megabytes}"),
        { } mb => mb << 20,
    };
}
