using Akka.Actor;
using DistributedGmm.Cluster.Hosting;
using ClusterEvent = Akka.Cluster.ClusterEvent;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// What every coordinator-side job on a cluster does with membership: subscribe to member events, hear of each
/// worker node that comes Up (or WeaklyUp) and of each member lost (unreachable or removed), reach a node's
/// <c>/user/gmm-node</c>, and give up when too few nodes joined within the join timeout. A worker node of another
/// wire protocol (<see cref="WireProtocol"/>) is never asked: it is refused at once, with the reason.
/// </summary>
internal abstract class WorkerMembershipActor : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _joinTimeout;
    /// <summary>Worker nodes this node saw become unreachable or leave while it waited for enough of them.</summary>
    private readonly HashSet<Address> _lostWorkers = [];

    protected WorkerMembershipActor(TimeSpan joinTimeout)
    {
        _joinTimeout = joinTimeout;
        Receive<ClusterEvent.MemberUp>(m => WhenWorker(m.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(m => WhenWorker(m.Member));
        Receive<ClusterEvent.UnreachableMember>(m => OnLost(m.Member));
        Receive<ClusterEvent.MemberRemoved>(m => OnLost(m.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<JoinTimedOut>(_ => OnJoinTimeout());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected abstract void OnWorkerUp(Akka.Cluster.Member member);
    protected abstract void OnRefused(Address node, string reason);
    protected abstract void OnMemberLost(Address node);
    protected abstract void OnJoinTimeout();

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));
        Timers.StartSingleTimer(nameof(JoinTimedOut), JoinTimedOut.Instance, _joinTimeout);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    protected void StopJoinTimer() => Timers.Cancel(nameof(JoinTimedOut));

    protected static ActorSelection NodeOf(Address address) =>
        Context.ActorSelection(new RootActorPath(address) / "user" / ClusterConfig.NodeActorName);

    /// <summary>
    /// Too few nodes joined in time. When worker nodes this node saw were lost meanwhile, it may have joined through a
    /// member that was itself being removed (a seed resuming from a pause) and be alone in a stale view: the failure
    /// then says so, and the coordinator joins again (<see cref="FitFailedException.MembershipLost"/>).
    /// </summary>
    protected FitFailedException TooFewNodes(int joined, int minimum, string detail = "")
    {
        var message = $"only {joined} of {minimum} worker node(s) joined within {_joinTimeout.TotalSeconds:0.#} s";
        if (_lostWorkers.Count == 0) return new FitFailedException(message + detail);
        return new FitFailedException($"{message}; {_lostWorkers.Count} worker node(s) it saw became unreachable or left{detail}", membershipLost: true);
    }

    private void OnLost(Akka.Cluster.Member member)
    {
        if (member.HasRole(ClusterConfig.WorkerRole)) _lostWorkers.Add(member.Address);
        OnMemberLost(member.Address);
    }

    private void WhenWorker(Akka.Cluster.Member member)
    {
        if (!member.HasRole(ClusterConfig.WorkerRole)) return;
        if (WireProtocol.Mismatch(member) is { } refusal) OnRefused(member.Address, refusal);
        else OnWorkerUp(member);
    }

    private sealed class JoinTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly JoinTimedOut Instance = new();
    }
}
