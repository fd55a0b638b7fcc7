using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Persistence;

/// <summary>One EM run's state after an iteration: enough to continue it bit for bit (<see cref="EmRun.Resume"/>).</summary>
public sealed record RunState(int Restart, GaussianMixture Parameters, IReadOnlyList<double> History, bool Converged)
{
    public int Iteration => History.Count;
}

/// <summary>
/// Where a fit stands between two E-steps: the run in progress (null once every restart has finished and only the
/// final E-step of the best run remains) and the best finished run so far (null before the first one finishes).
/// </summary>
/// <remarks>
/// <see cref="ShardHashes"/>: the content hash of every shard's decoded values as the fit first saw them (0: not
/// seen yet), so that a resumed fit refuses data that changed in place even where the files' footers did not.
/// </remarks>
public sealed record FitState(RunState? Current, RunState? Best)
{
    public IReadOnlyList<ulong> ShardHashes { get; init; } = [];
}

/// <summary>
/// What a fit runs on, by content: the files (full paths) with their rows, sizes and a hash of each Parquet footer
/// (which holds every column chunk's offsets, sizes and statistics), the columns, the shard count and the data
/// options. Every node and every resumed fit must see the same; the data layer builds it (<c>DataFingerprints</c>).
/// </summary>
public sealed record DataFingerprint(IReadOnlyList<string> Files, IReadOnlyList<long> FileRows, IReadOnlyList<long> FileSizes,
    IReadOnlyList<ulong> FooterHashes, IReadOnlyList<string> Columns, int Shards, string Options)
{
    public override string ToString() =>
        $"{Files.Count} file(s) [{string.Join(", ", Files)}], {FileRows.Sum()} rows in {Shards} shards, columns {string.Join(",", Columns)}, {Options}";

    public bool Matches(DataFingerprint other) => FirstDifference(other) is null;

    /// <summary>Null when both describe the same data, else the first difference in a few words, naming the file.</summary>
    public string? FirstDifference(DataFingerprint other)
    {
        if (!Files.SequenceEqual(other.Files, StringComparer.Ordinal))
            return $"the files differ: [{string.Join(", ", Files)}] against [{string.Join(", ", other.Files)}]";
        for (var f = 0; f < Files.Count; f++)
        {
            if (FileRows[f] != other.FileRows[f]) return $"{Files[f]}: {FileRows[f]} rows against {other.FileRows[f]}";
            if (FileSizes[f] != other.FileSizes[f]) return $"{Files[f]}: {FileSizes[f]} bytes against {other.FileSizes[f]}";
            if (FooterHashes[f] != other.FooterHashes[f]) return $"{Files[f]}: same size, but its Parquet footer (row groups, column chunks, statistics) differs";
        }
        if (!Columns.SequenceEqual(other.Columns, StringComparer.Ordinal))
            return $"columns {string.Join(",", Columns)} against {string.Join(",", other.Columns)}";
        if (Shards != other.Shards) return $"{Shards} shards against {other.Shards}";
        return string.Equals(Options, other.Options, StringComparison.Ordinal) ? null : $"{Options} against {other.Options}";
    }
}

/// <summary>A fit's checkpoint: its settings, its data, and its state after the last completed iteration.</summary>
public sealed record FitCheckpoint(FitSettings Settings, DataFingerprint Data, FitState State)
{
    /// <summary>True when every restart has finished: resuming only runs the final E-step and writes the model.</summary>
    public bool RestartsFinished => State.Current is null;

    /// <summary>
    /// Throws <see cref="CheckpointException"/> naming the first difference when this checkpoint was not written by a
    /// fit of <paramref name="settings"/> over <paramref name="data"/>.
    /// </summary>
    public void EnsureMatches(FitSettings settings, DataFingerprint data, string source)
    {
        if (Data.FirstDifference(data) is { } difference)
            throw new CheckpointException($"{source}: the checkpoint was written for different data: {difference}");
        var ours = SettingsFingerprint(Settings);
        var theirs = SettingsFingerprint(settings);
        foreach (var (name, value) in ours)
            if (!string.Equals(value, theirs[name], StringComparison.Ordinal))
                throw new CheckpointException($"{source}: the checkpoint was written with {name} {value}; this fit asks for {theirs[name]}");
    }

    /// <summary>Every setting that decides the result, as exact text (doubles round-trip, a start model by its bits).</summary>
    public static IReadOnlyDictionary<string, string> SettingsFingerprint(FitSettings s) => new Dictionary<string, string>
    {
        ["components"] = Text(s.Components),
        ["covariance"] = s.CovarianceType.ToName(),
        ["tol"] = Text(s.Tol),
        ["reg-covar"] = Text(s.RegCovar),
        ["max-iter"] = Text(s.MaxIter),
        ["init"] = s.Init.ToName(),
        ["n-init"] = Text(s.NInit),
        ["seed"] = Text(s.Seed),
        ["init sample rows"] = Text(s.InitSampleRows),
        ["k-means iterations"] = Text(s.KMeansMaxIter),
        ["init-model"] = s.InitModel is { } m ? MixtureDigest(m) : "none",
        ["kernel"] = s.Kernel is { } k ? KernelPaths.Name(k) : "auto",
    };

    private static string Text(IFormattable value) => value.ToString(value is double ? "R" : null, System.Globalization.CultureInfo.InvariantCulture);

    private static string MixtureDigest(GaussianMixture m)
    {
        var bytes = new List<byte>();
        foreach (var v in m.Weights.Concat(m.Means).Concat(m.Covariances)) bytes.AddRange(BitConverter.GetBytes(v));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()));
        return $"a {m.Components}-component {m.CovarianceType.ToName()} model (sha256 {hash[..16]})";
    }
}

/// <summary>A checkpoint that cannot be read, or does not belong to the fit that tries to resume from it.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);
