namespace DistributedGmm.Cluster.Workers;

public static class WorkerFaults
{
    public static readonly TimeSpan DelayedBy = TimeSpan.FromMilliseconds(1500);
}

/// <summary>Decides a fault for worker <c>workerIndex</c> on its <c>requestNumber</c>-th request (from 0). Tests only.</summary>
public delegate WorkerFault WorkerFaultHook(int workerIndex, int requestNumber);
