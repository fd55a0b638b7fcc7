namespace DistributedGmm.Core.Estimation;

/// <summary>What one EM iteration reports: which restart, which iteration and pass, the mean log-likelihood of the
/// parameters it started from (scikit-learn's lower bound) and its change from the iteration before.</summary>
public sealed record IterationProgress(int Restart, int Iteration, double MeanLogLikelihood, double Change, TimeSpan Elapsed)
{
    /// <summary>Data passes of the run so far, this one included (plain EM: the iteration).</summary>
    public int Pass { get; init; } = Iteration;
}
