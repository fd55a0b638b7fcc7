using DistributedGmm.Core.Estimation;

namespace DistributedGmm.Cluster;

/// <summary>
/// One EM iteration as the runtime reports it: Core's <see cref="Step"/>, the shards it read (every one: an
/// iteration covers all the data), and the workers that served it.
/// </summary>
public sealed record FitProgress(IterationProgress Step, int Shards, int LiveWorkers);
