namespace DistributedGmm.Cluster.Workers;

/// <summary>The exception a worker throws when a test hook asks it to.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
