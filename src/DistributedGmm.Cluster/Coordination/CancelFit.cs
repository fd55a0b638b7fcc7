using Akka.Actor;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>The caller cancelled the fit. Local only.</summary>
internal sealed class CancelFit : INoSerializationVerificationNeeded
{
    public static readonly CancelFit Instance = new();
}
