
namespace DistributedGmm.Cluster.Messages;

/// <summary>The node cannot serve the fit: it cannot read the data, or sees a different dataset.</summary>
public sealed record NodeRefused(Guid FitId, string Reason) : IGmmMessage;
