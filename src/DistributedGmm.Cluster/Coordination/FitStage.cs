namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// Where a fit is: drawing the initial sample, the pass for the data's moments (a MAP fit's prior), iterating a
/// restart, the final E-step, or done.
/// </summary>
public enum FitStage
{
    Sample,
    Moments,
    Iterate,
    Final,
    Done,
}
