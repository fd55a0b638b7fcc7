using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Initialization;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Core.Persistence;

/// <summary>One EM run's state after an iteration: enough to continue it bit for bit (<see cref="EmRun.Resume"/>).</summary>
public sealed record RunState(int Restart, GaussianMixture Parameters, IReadOnlyList<double> History, bool Converged)
{
    public int Iteration => History.Count;

    /// <summary>Components reseeded or dropped so far (<c>--on-degenerate</c>), so that the model file lists them all.</summary>
    public IReadOnlyList<DegenerateEvent> Events { get; init; } = [];
}
