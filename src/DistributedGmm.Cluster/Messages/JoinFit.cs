using Akka.Actor;
using DistributedGmm.Core;
using DistributedGmm.Core.Kernels;
using DistributedGmm.Core.Persistence;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// The data a job runs over, as every node discovers it for itself: the inputs (the coordinator's full file paths),
/// the data options (<see cref="Columns"/> null: every numeric column; <see cref="OnInvalid"/> the data layer's
/// <c>InvalidValuePolicy</c> as a number) and the <see cref="Fingerprint"/> a node must see too
/// (<see cref="Data.Dataset.Fingerprint"/>). Part of messages, not a message itself.
/// </summary>
public sealed record DatasetSpec(string[] Inputs, string[]? Columns, int OnInvalid, int ShardRows, DataFingerprint Fingerprint);

/// <summary>
/// A coordinator asks a worker node to serve fit <see cref="FitId"/>: discover <see cref="Data"/>, check its
/// fingerprint, and start shard workers that register with <see cref="Coordinator"/>. <see cref="Kernel"/> is the
/// fit's kernel path once decided (null: not yet, the node says what it runs). The node answers
/// <see cref="NodeJoined"/> or <see cref="NodeRefused"/> (also when it cannot run <see cref="Kernel"/>).
/// </summary>
public sealed record JoinFit(Guid FitId, IActorRef Coordinator, DatasetSpec Data, KernelPath? Kernel = null) : IGmmMessage;

/// <summary>
/// The node serves the fit with <see cref="Workers"/> shard workers (which register on their own);
/// <see cref="Kernel"/> is the widest kernel path it runs.
/// </summary>
public sealed record NodeJoined(Guid FitId, int Workers, KernelPath Kernel) : IGmmMessage;

/// <summary>The node cannot serve the fit: it cannot read the data, or sees a different dataset.</summary>
public sealed record NodeRefused(Guid FitId, string Reason) : IGmmMessage;
