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
