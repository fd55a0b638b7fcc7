using System.Globalization;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;
using DistributedGmm.Data;
using DistributedGmm.Data.ObjectStorage;

namespace DistributedGmm.Cli;

/// <summary>
/// <c>--checkpoint DIR</c> and <c>--resume</c>: after every iteration the fit's state goes to DIR/checkpoint.json
/// (atomically); a resumed fit starts from it, once it is shown to belong to the same data and settings.
/// </summary>
internal sealed class Checkpointing
{
    private readonly FitSettings _settings;
    private readonly DataFingerprint _data;

    private Checkpointing(string path, FitSettings settings, DataFingerprint data, FitState? resume)
    {
        Path = path;
        _settings = settings;
        _data = data;
        Resume = resume;
    }

    public string Path { get; }

    /// <summary>The state to continue from (<c>--resume</c>), or null for a fresh fit.</summary>
    public FitState? Resume { get; }

    /// <summary>null when no <c>--checkpoint</c> was given; throws <see cref="UsageException"/> for --resume alone.</summary>
    public static Checkpointing? Open(string? directory, bool resume, FitSettings settings, Dataset dataset)
    {
        if (directory is null)
        {
            if (resume) throw new UsageException("--resume needs --checkpoint DIR (the folder the interrupted fit checkpointed to)");
            return null;
        }
        var inStore = ObjectUri.IsObjectUri(directory);
        if (!inStore && File.Exists(directory)) throw new UsageException($"--checkpoint {directory}: is a file; give a folder");
        var path = inStore ? (directory.EndsWith('/') ? directory : directory + "/") + "checkpoint.json" : CheckpointFile.PathIn(directory);
        if (inStore && !resume) ObjectStores.Default.ExistsAsync(ObjectUri.Parse(path)).GetAwaiter().GetResult(); // the bucket and credentials, before the fit
        var data = dataset.Fingerprint;
        FitState? state = null;
        if (resume)
        {
            var checkpoint = inStore
                ? ObjectTransfer.ReadAsync(path, local => CheckpointFile.Parse(File.ReadAllBytes(local), path)).GetAwaiter().GetResult()
                : CheckpointFile.Read(path);
            checkpoint.EnsureMatches(settings, data, path);
            state = checkpoint.State;
            var at = state.Current is { } c
                ? $"restart {c.Restart + 1} of {settings.NInit}, after iteration {c.Iteration}"
                : "every restart finished: only the final E-step remains";
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gmm: resuming from {path} ({at})"));
        }
        return new Checkpointing(path, settings, data, state);
    }

    /// <summary>
    /// Writes one iteration's state (called on the coordinator, before the iteration is reported). In object
    /// storage each save is one PUT of the whole file, which replaces the last one whole.
    /// </summary>
    public void Save(FitState state)
    {
        var checkpoint = new FitCheckpoint(_settings, _data, state);
        if (ObjectUri.IsObjectUri(Path)) ObjectTransfer.WriteAsync(Path, local => CheckpointFile.Write(local, checkpoint)).GetAwaiter().GetResult();
        else CheckpointFile.Write(Path, checkpoint);
    }
}
