using Akka.Actor;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>The coordinator's periodic look for overdue requests. Local only.</summary>
internal sealed class CheckDeadlines : INoSerializationVerificationNeeded
{
    public static readonly CheckDeadlines Instance = new();
}
