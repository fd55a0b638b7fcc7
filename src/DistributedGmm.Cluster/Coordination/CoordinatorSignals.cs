using Akka.Actor;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>The caller cancelled the fit. Local only.</summary>
internal sealed class CancelFit : INoSerializationVerificationNeeded
{
    public static readonly CancelFit Instance = new();
}

/// <summary>The coordinator's periodic look for overdue requests. Local only.</summary>
internal sealed class CheckDeadlines : INoSerializationVerificationNeeded
{
    public static readonly CheckDeadlines Instance = new();
}

/// <summary>Time is up for workers to register; the fit starts with those that did, or fails without any. Local only.</summary>
internal sealed class RegistrationTimeout : INoSerializationVerificationNeeded
{
    public static readonly RegistrationTimeout Instance = new();
}
