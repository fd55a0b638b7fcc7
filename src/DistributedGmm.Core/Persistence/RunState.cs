using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Persistence;

/// <summary>One EM run's state after an iteration: enough to continue it bit for bit (<see cref="EmRun.Resume"/>).</summary>
public sealed record RunState(int Restart, GaussianMixture Parameters, IReadOnlyList<double> History, bool Converged)
{
    /// <summary>Data passes so far (plain EM: iterations).</summary>
    public int Iteration => History.Count;

    /// <summary>The accelerator's state when the fit is SQUAREM-accelerated; null for plain EM.</summary>
    public SquaremState? Squarem { get; init; }

    /// <summary>Components reseeded or dropped so far (<c>--on-degenerate</c>), so that the model file lists them all.</summary>
    public IReadOnlyList<DegenerateEvent> Events { get; init; } = [];
}
