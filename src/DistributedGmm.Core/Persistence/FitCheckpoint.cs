using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
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
public sealed record FitState(RunState? Current, RunState? Best);

/// <summary>What the fit was run on; a resume against anything else is refused.</summary>
public sealed record DataFingerprint(IReadOnlyList<string> Files, IReadOnlyList<long> FileRows, IReadOnlyList<string> Columns,
    int Shards, string Options)
{
    public override string ToString() =>
        $"{Files.Count} file(s) [{string.Join(", ", Files)}], {FileRows.Sum()} rows in {Shards} shards, columns {string.Join(",", Columns)}, {Options}";

    public bool Matches(DataFingerprint other) =>
        Files.SequenceEqual(other.Files, StringComparer.Ordinal) && FileRows.SequenceEqual(other.FileRows)
        && Columns.SequenceEqual(other.Columns, StringComparer.Ordinal) && Shards == other.Shards
        && string.Equals(Options, other.Options, StringComparison.Ordinal);
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
        if (!Data.Matches(data))
            throw new CheckpointException($"{source}: the checkpoint was written for different data ({Data}); this fit reads {data}");
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
