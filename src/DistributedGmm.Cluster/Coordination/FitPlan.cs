using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>Everything a coordinator needs for one fit, and where it reports. A local object: never sent.</summary>
public sealed record FitPlan
{
    public required FitSettings Settings { get; init; }
    /// <summary>Score the data under this model instead of fitting (one E-step; <see cref="Settings"/> is not used).</summary>
    public GaussianMixture? ScoreOnly { get; init; }
    /// <summary>The coordinator's view of the data: shard count, rows, columns. It never reads rows itself.</summary>
    public required IShardSource Source { get; init; }
    public required TaskCompletionSource<FittedModel> Completion { get; init; }
    public int MinimumWorkers { get; init; } = 1;
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How long to wait for <see cref="MinimumWorkers"/> before starting with those there (null: <see cref="RequestTimeout"/>; infinite: never).</summary>
    public TimeSpan? RegistrationTimeout { get; init; }
    public int MaxGroupAttempts { get; init; } = 3;
    public Action<FitProgress>? Progress { get; init; }
    /// <summary>Tests: deal groups to workers in a shuffled order.</summary>
    public int? ShuffleSeed { get; init; }
    public CancellationToken CancellationToken { get; init; }
    /// <summary>Continue from a checkpoint's state instead of sampling and initialising (<see cref="FitSequence.Resuming"/>).</summary>
    public FitState? Resume { get; init; }
    /// <summary>Called after every iteration, before its progress is reported, with the state to checkpoint.</summary>
    public Action<FitState>? Checkpoint { get; init; }
}
