namespace DistributedGmm.Cluster;

/// <summary>One EM iteration as the runtime reports it: Core's progress plus the state of the workers.</summary>
public sealed record FitProgress(int Restart, int Iteration, double MeanLogLikelihood, double Change, TimeSpan Elapsed,
    int ShardsDone, int ShardsTotal, int LiveWorkers);
