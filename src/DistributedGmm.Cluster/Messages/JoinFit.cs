using Akka.Actor;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// The data a job runs over, as every node discovers it for itself: the inputs (the coordinator's full file paths),
/// the data options (<see cref="Columns"/> null: every numeric column; <see cref="OnInvalid"/> the data layer's
/// <c>InvalidValuePolicy</c> as a number) and the <see cref="Fingerprint"/> a node must see too
/// (<see cref="Sources.DatasetFingerprint"/>). Part of messages, not a message itself.
/// </summary>
public sealed record DatasetSpec(string[] Inputs, string[]? Columns, int OnInvalid, int ShardRows, string Fingerprint);

/// <summary>
/// A coordinator asks a worker node to serve fit <see cref="FitId"/>: discover <see cref="Data"/>, check its
/// fingerprint, and start shard workers that register with <see cref="Coordinator"/>. The node answers
/// <see cref="NodeJoined"/> or <see cref="NodeRefused"/>.
/// </summary>
public sealed record JoinFit(Guid FitId, IActorRef Coordinator, DatasetSpec Data) : IGmmMessage;

/// <summary>The node serves the fit with <see cref="Workers"/> shard workers (which register on their own).</summary>
public sealed record NodeJoined(Guid FitId, int Workers) : IGmmMessage;

/// <summary>The node cannot serve the fit: it cannot read the data, or sees a different dataset.</summary>
public sealed record NodeRefused(Guid FitId, string Reason) : IGmmMessage;
