namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// Asks a worker for <c>InitialSample.Draw</c> of every shard in <see cref="Groups"/>, concatenated in shard
/// order per group. Carries only the settings the draw reads (seed and sample size).
/// </summary>
public sealed record DrawSample(Guid FitId, int Step, int Attempt, long TotalRows, int InitSampleRows, int Seed,
    int[] Groups) : IFitRoundMessage;
