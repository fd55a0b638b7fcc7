using Akka.Actor;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>Enough worker nodes joined: start the fit once <see cref="Count"/> shard workers registered. Local only.</summary>
internal sealed record ExpectWorkers(int Count) : INoSerializationVerificationNeeded;

/// <summary>A cluster member became unreachable or left: its shard workers are lost now, not at the next timeout. Local only.</summary>
internal sealed record NodeLost(Address Address) : INoSerializationVerificationNeeded;
