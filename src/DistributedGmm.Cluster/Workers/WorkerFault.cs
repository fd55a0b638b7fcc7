namespace DistributedGmm.Cluster.Workers;

/// <summary>What a test hook makes a worker do on receiving a request: nothing, throw, stop, or drop it unanswered.</summary>
public enum WorkerFault
{
    None,
    Throw,
    Stop,
    Ignore,
}

/// <summary>Decides a fault for worker <c>workerIndex</c> on its <c>requestNumber</c>-th request (from 0). Tests only.</summary>
public delegate WorkerFault WorkerFaultHook(int workerIndex, int requestNumber);

/// <summary>The exception a worker throws when a test hook asks it to.</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
