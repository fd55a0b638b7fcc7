namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// What a test hook makes a worker do on receiving a request: nothing, throw, stop, drop it unanswered, or
/// take it up only after <see cref="WorkerFaults.DelayedBy"/> (so its answer arrives after the coordinator gave up on it).
/// </summary>
public enum WorkerFault
{
    None,
    Throw,
    Stop,
    Ignore,
    Delay,
}

public static class WorkerFaults
{
    public static readonly TimeSpan DelayedBy = TimeSpan.FromMilliseconds(1500);
}

/// <summary>Decides a fault for worker <c>workerIndex</c> on its <c>requestNumber</c>-th request (from 0). Tests only.</summary>
public delegate WorkerFault WorkerFaultHook(int workerIndex, int requestNumber);

/// <summary>The exception a worker throws when a test hook asks it to.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
