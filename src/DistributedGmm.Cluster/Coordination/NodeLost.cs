using Akka.Actor;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>A cluster member became unreachable or left: its shard workers are lost now, not at the next timeout. Local only.</summary>
internal sealed record NodeLost(Address Address) : INoSerializationVerificationNeeded;
