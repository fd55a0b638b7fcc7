namespace DistributedGmm.Cluster;

/// <summary>The runtime could not complete a fit: a group failed too often, or no worker is left.</summary>
public sealed class FitFailedException(string message) : Exception(message);
