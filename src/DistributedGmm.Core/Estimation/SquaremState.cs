using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Estimation;

/// <summary>
/// A SQUAREM run between two passes, exactly: enough to continue it bit for bit from a checkpoint. The point the next
/// pass evaluates is the run's parameters (<see cref="Persistence.RunState.Parameters"/>), not repeated here.
/// </summary>
/// <param name="Base">The cycle's start p (null before the first pass).</param>
/// <param name="BaseLogLikelihood">Total log-likelihood of <paramref name="Base"/> (the monotonicity check's reference).</param>
/// <param name="BaseMeanLogLikelihood">Its mean per row.</param>
/// <param name="CycleGain">The last finished cycle's change of the mean log-likelihood (<see cref="double.MaxValue"/> before one).</param>
/// <param name="First">p₁ = F(p), once known.</param>
/// <param name="FirstMeanLogLikelihood">Mean log-likelihood of p₁, once evaluated.</param>
/// <param name="Second">p₂ = F(p₁), once known.</param>
public sealed record SquaremState(
    SquaremPhase Phase,
    int Cycles,
    double StepLength,
    double StepMax,
    GaussianMixture? Base,
    double BaseLogLikelihood,
    double BaseMeanLogLikelihood,
    double CycleGain,
    GaussianMixture? First,
    double FirstMeanLogLikelihood,
    GaussianMixture? Second);
