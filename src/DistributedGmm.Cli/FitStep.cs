using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Sources;
using DistributedGmm.Cluster;
using DistributedGmm.Core.Estimation;
using DistributedGmm.Core.Model;
using DistributedGmm.Data;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cli;

/// <summary>One EM iteration as the progress display shows it.</summary>
internal sealed record FitStep(int Restart, int Iteration, double MeanLogLikelihood, double Change, TimeSpan Elapsed,
    int ShardsDone, int ShardsTotal, int LiveWorkers);
