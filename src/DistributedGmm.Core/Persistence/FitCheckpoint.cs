using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Persistence;

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
        ["accelerate"] = s.Acceleration.ToName(),
        ["kernel"] = s.Kernel is { } k ? KernelPaths.Name(k) : "auto",
        ["on-degenerate"] = s.OnDegenerate.ToName(),
        ["prior"] = s.Prior is { } p
            ? $"shrinkage {Text(p.Shrinkage)}, dof {(p.Dof is { } dof ? Text(dof) : "d + 2")}, scale {(p.Scale is { } scale ? Text(scale) : "from the data")}"
            : "none",
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
