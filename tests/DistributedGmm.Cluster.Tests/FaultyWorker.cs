using Akka.Actor;
using DistributedGmm.Cluster.Messages;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// A test actor standing in front of a real shard worker: it registers with the coordinator as the worker, passes
/// every message on to it and its answers back, and applies a <see cref="WorkerFaultHook"/> to each request
/// (<see cref="ComputeStatistics"/>, <see cref="DrawSample"/>). Throwing or stopping here is what the coordinator
/// sees of a worker that throws or stops: its supervisor stops it, and DeathWatch reports it.
/// </summary>
public sealed class FaultyWorker : ReceiveActor
{
    public static readonly TimeSpan DelayedBy = TimeSpan.FromMilliseconds(1500);

    private readonly IActorRef _coordinator;
    private readonly IActorRef _worker;
    private int _requests;

    /// <param name="worker">The real worker's props, given the coordinator it reports to (this actor).</param>
    /// <param name="registerAfter">A pause before registering with the coordinator, to choose the order workers register in.</param>
    public FaultyWorker(IActorRef coordinator, int index, Func<IActorRef, Props> worker, WorkerFaultHook fault, TimeSpan registerAfter)
    {
        _coordinator = coordinator;
        _worker = Context.ActorOf(worker(Self), "worker");
        Receive<RegisterWorker>(m => Context.System.Scheduler.ScheduleTellOnce(registerAfter, _coordinator, m, Self));
        Receive<GroupResult>(m => _coordinator.Tell(m));
        Receive<GroupFailed>(m => _coordinator.Tell(m));
        Receive<ComputeStatistics>(m => Request(m, index, fault));
        Receive<DrawSample>(m => Request(m, index, fault));
        ReceiveAny(m => _worker.Tell(m));
    }

    public static Props Props(IActorRef coordinator, int index, Func<IActorRef, Props> worker, WorkerFaultHook fault, TimeSpan registerAfter = default) =>
        Akka.Actor.Props.Create(() => new FaultyWorker(coordinator, index, worker, fault, registerAfter));

    private void Request(object request, int index, WorkerFaultHook fault)
    {
        switch (fault(index, _requests++))
        {
            case WorkerFault.Throw:
                throw new InvalidOperationException($"worker {index} was told to fail");
            case WorkerFault.Stop:
                Context.Stop(Self);
                break;
            case WorkerFault.Ignore:
                break;
            case WorkerFault.Delay:
                Context.System.Scheduler.ScheduleTellOnce(DelayedBy, _worker, request, Self);
                break;
            default:
                _worker.Tell(request);
                break;
        }
    }
}
