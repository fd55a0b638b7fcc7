namespace DistributedGmm.Cluster.Messages;

/// <summary>The fit is over (done, failed or cancelled): workers drop its parameters and stop its work.</summary>
public sealed record EndFit(Guid FitId) : IGmmMessage;
