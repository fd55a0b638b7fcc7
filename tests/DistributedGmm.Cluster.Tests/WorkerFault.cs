namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// What a <see cref="FaultyWorker"/> does with a request: pass it on, throw, stop, drop it unanswered, or pass it on
/// only after <see cref="FaultyWorker.DelayedBy"/> (so its answer arrives after the coordinator gave up on it).
/// </summary>
public enum WorkerFault
{
    None,
    Throw,
    Stop,
    Ignore,
    Delay,
}

/// <summary>Decides a fault for worker <c>workerIndex</c> on its <c>requestNumber</c>-th request (from 0).</summary>
public delegate WorkerFault WorkerFaultHook(int workerIndex, int requestNumber);
