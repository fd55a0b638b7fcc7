using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// The node serves the fit with <see cref="Workers"/> shard workers (which register on their own);
/// <see cref="Kernel"/> is the widest kernel path it runs.
/// </summary>
public sealed record NodeJoined(Guid FitId, int Workers, KernelPath Kernel) : IGmmMessage;
