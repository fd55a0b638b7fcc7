using Akka.Actor;
using DistributedGmm.Core;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// Enough worker nodes joined: start the fit once <see cref="Count"/> shard workers registered, on kernel path
/// <see cref="Kernel"/> (the widest every joined node runs, when the fit asked for none). Local only.
/// </summary>
internal sealed record ExpectWorkers(int Count, KernelPath? Kernel = null) : INoSerializationVerificationNeeded;

/// <summary>A cluster member became unreachable or left: its shard workers are lost now, not at the next timeout. Local only.</summary>
internal sealed record NodeLost(Address Address) : INoSerializationVerificationNeeded;
