using DistributedGmm.Core.Model;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// Asks a worker for the E-step statistics of <see cref="Groups"/> under the parameters of <see cref="Step"/>:
/// one <see cref="GroupResult"/> series per group, computed on the fit's kernel path <see cref="Kernel"/>.
/// </summary>
public sealed record ComputeStatistics(Guid FitId, int Step, int Attempt, CovarianceType CovarianceType, int Components,
    int Dimensions, double RegCovar, KernelPath Kernel, int[] Groups) : IFitRoundMessage;
