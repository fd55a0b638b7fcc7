using Akka.Actor;
using DistributedGmm.Core.Kernels;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// A coordinator asks a worker node to serve fit <see cref="FitId"/>: discover <see cref="Data"/>, check its
/// fingerprint, and start shard workers that register with <see cref="Coordinator"/>. <see cref="Kernel"/> is the
/// fit's kernel path once decided (null: not yet, the node says what it runs). The node answers
/// <see cref="NodeJoined"/> or <see cref="NodeRefused"/> (also when it cannot run <see cref="Kernel"/>).
/// </summary>
public sealed record JoinFit(Guid FitId, IActorRef Coordinator, DatasetSpec Data, KernelPath? Kernel = null) : IGmmMessage;
