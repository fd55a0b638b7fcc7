using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// Everything a coordinator needs for one fit, and where it reports: the <see cref="FitJob"/>'s settings (their
/// defaults are the job's, none here) with the live objects of this run. A local object: never sent.
/// </summary>
public sealed record FitPlan
{
    public required FitSettings Settings { get; init; }
    /// <summary>Score the data under this model instead of fitting (one E-step; <see cref="Settings"/> is not used).</summary>
    public GaussianMixture? ScoreOnly { get; init; }
    /// <summary>The coordinator's view of the data: shard count, rows, columns. It never reads rows itself.</summary>
    public required IShardSource Source { get; init; }
    public required TaskCompletionSource<FittedModel> Completion { get; init; }
    public int MinimumWorkers { get; init; } = 1;
    public required TimeSpan RequestTimeout { get; init; }
    /// <summary>How long to wait for <see cref="MinimumWorkers"/> before starting with those there (null: <see cref="RequestTimeout"/>; infinite: never).</summary>
    public TimeSpan? RegistrationTimeout { get; init; }
    public required int MaxGroupAttempts { get; init; }
    public Action<FitProgress>? Progress { get; init; }
    public CancellationToken CancellationToken { get; init; }
    /// <summary>Continue from a checkpoint's state instead of sampling and initialising (<see cref="FitSequence.Resuming"/>).</summary>
    public FitState? Resume { get; init; }
    /// <summary>Called after every iteration, before its progress is reported, with the state to checkpoint.</summary>
    public Action<FitState>? Checkpoint { get; init; }

    /// <summary>
    /// The plan of <paramref name="job"/> over <paramref name="source"/> (scoring under <paramref name="scoreOnly"/>
    /// when given), the same for both runtimes; each sets how many workers it waits for.
    /// </summary>
    public static FitPlan For(FitJob job, IShardSource source, IProgress<FitProgress>? progress, GaussianMixture? scoreOnly,
        CancellationToken cancellationToken) => new()
    {
        Settings = job.Settings,
        ScoreOnly = scoreOnly,
        Source = source,
        Completion = new TaskCompletionSource<FittedModel>(TaskCreationOptions.RunContinuationsAsynchronously),
        RequestTimeout = job.Runtime.RequestTimeout,
        MaxGroupAttempts = job.MaxGroupAttempts,
        Progress = progress is null ? null : progress.Report,
        CancellationToken = cancellationToken,
        Resume = job.Resume,
        Checkpoint = job.Checkpoint,
    };
}
