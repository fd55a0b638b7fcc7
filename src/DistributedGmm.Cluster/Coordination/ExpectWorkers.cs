using Akka.Actor;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// Enough worker nodes joined: start the fit once <see cref="Count"/> shard workers registered, on kernel path
/// <see cref="Kernel"/> (the widest every joined node runs, when the fit asked for none). Local only.
/// </summary>
internal sealed record ExpectWorkers(int Count, KernelPath? Kernel = null) : INoSerializationVerificationNeeded;
