using DistributedGmm.Cluster;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Model;
using DistributedGmm.Data;

namespace DistributedGmm.Cli;

/// <summary>One EM iteration as the progress display shows it.</summary>
internal sealed record FitStep(int Restart, int Iteration, double MeanLogLikelihood, double Change, TimeSpan Elapsed,
    int ShardsDone, int ShardsTotal, int LiveWorkers)
{
    /// <summary>Data passes of the run so far (plain EM: the iteration).</summary>
    public int Pass { get; init; } = Iteration;
}
