namespace DistributedGmm.Cluster.Coordination;

/// <summary>Where a fit is: drawing the initial sample, iterating a restart, the final E-step, or done.</summary>
public enum FitStage
{
    Sample,
    Iterate,
    Final,
    Done,
}
