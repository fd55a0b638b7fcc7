using Akka.Actor;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>Time is up for workers to register; the fit starts with those that did, or fails without any. Local only.</summary>
internal sealed class RegistrationTimeout : INoSerializationVerificationNeeded
{
    public static readonly RegistrationTimeout Instance = new();
}
