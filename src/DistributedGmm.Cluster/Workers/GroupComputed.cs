using Akka.Actor;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// A worker's background computation finished a group (values, with its shards' content hashes) or failed it
/// (error). Local only.
/// </summary>
internal sealed record GroupComputed(IActorRef ReplyTo, Guid FitId, int Step, int Attempt, int Group, double[]? Values,
    ulong[] ShardHashes, Exception? Error) : INoSerializationVerificationNeeded;
