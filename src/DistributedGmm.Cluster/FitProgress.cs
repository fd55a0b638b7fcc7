namespace DistributedGmm.Cluster;

/// <summary>One EM iteration as the runtime reports it: Core's progress plus the state of the workers.</summary>
public sealed record FitProgress(int Restart, int Iteration, double MeanLogLikelihood, double Change, TimeSpan Elapsed,
    int ShardsDone, int ShardsTotal, int LiveWorkers)
{
    /// <summary>Data passes of the run so far (plain EM: the iteration; SQUAREM takes several an iteration).</summary>
    public int Pass { get; init; } = Iteration;
}
