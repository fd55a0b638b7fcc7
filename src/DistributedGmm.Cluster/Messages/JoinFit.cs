using Akka.Actor;

namespace DistributedGmm.Cluster.Messages;

/// <summary>
/// A coordinator asks a worker node to serve fit <see cref="FitId"/>: discover the dataset from the same inputs
/// and data options, check it against <see cref="Fingerprint"/> (<see cref="Sources.DatasetFingerprint"/>), and
/// start shard workers that register with <see cref="Coordinator"/>. The node answers <see cref="NodeJoined"/>
/// or <see cref="NodeRefused"/>. <see cref="Columns"/> null: every numeric column; <see cref="OnInvalid"/> is
/// the data layer's <c>InvalidValuePolicy</c> as a number.
/// </summary>
public sealed record JoinFit(Guid FitId, IActorRef Coordinator, string[] Inputs, string[]? Columns, int OnInvalid,
    int ShardRows, string Fingerprint) : IGmmMessage;

/// <summary>The node serves the fit with <see cref="Workers"/> shard workers (which register on their own).</summary>
public sealed record NodeJoined(Guid FitId, int Workers) : IGmmMessage;

/// <summary>The node cannot serve the fit: it cannot read the data, or sees a different dataset.</summary>
public sealed record NodeRefused(Guid FitId, string Reason) : IGmmMessage;
