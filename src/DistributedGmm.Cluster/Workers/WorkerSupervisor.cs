using Akka.Actor;

namespace DistributedGmm.Cluster.Workers;

/// <summary>
/// The parent of a node's shard workers. A worker that throws is stopped, not restarted: its state (parameters,
/// requests in flight) would be lost silently, whereas a stop reaches the coordinator through DeathWatch and
/// its groups are reassigned.
/// </summary>
public sealed class WorkerSupervisor : ReceiveActor
{
    public WorkerSupervisor(IReadOnlyList<Props> workers)
    {
        for (var i = 0; i < workers.Count; i++) Context.ActorOf(workers[i], $"worker-{i}");
    }

    public static Props Props(IReadOnlyList<Props> workers) => Akka.Actor.Props.Create(() => new WorkerSupervisor(workers));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_ => Directive.Stop);
}
