using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// On every worker node: downs a coordinator member that stays unreachable for <c>gmm.coordinator-down-after</c>.
/// Coordinators are batch jobs; a killed one never comes back, and while it lingers as unreachable every new
/// coordinator adds reachability observations that keep the split-brain resolver from deciding (its stable-after
/// restarts) and can make a live coordinator look indirectly connected. Workers are left to the resolver.
/// </summary>
internal sealed class CoordinatorDowning : ReceiveActor, IWithTimers
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CoordinatorDowning(TimeSpan after)
    {
        Receive<ClusterEvent.UnreachableMember>(m =>
        {
            if (m.Member.HasRole(ClusterConfig.CoordinatorRole)) Timers.StartSingleTimer(m.Member.UniqueAddress, new Check(m.Member.UniqueAddress), after);
        });
        Receive<ClusterEvent.ReachableMember>(m => Timers.Cancel(m.Member.UniqueAddress));
        Receive<ClusterEvent.MemberRemoved>(m => Timers.Cancel(m.Member.UniqueAddress));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        Receive<Check>(c =>
        {
            var state = _cluster.State;
            // An Exiting coordinator finished its leave and shut down before the others saw it removed: the leader
            // removes it without a down (unreachable Exiting members do not block convergence).
            if (!state.Unreachable.Any(u => u.UniqueAddress.Equals(c.Node) && u.Status is not (MemberStatus.Down or MemberStatus.Exiting))) return;
            if (state.Unreachable.Any(u => u.UniqueAddress.Equals(_cluster.SelfUniqueAddress))) return;
            _log.Warning("coordinator {0} unreachable for {1:0.#} s: downing it", c.Node.Address, after.TotalSeconds);
            _cluster.Down(c.Node.Address);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan after) => Akka.Actor.Props.Create(() => new CoordinatorDowning(after));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.ReachableMember), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private sealed record Check(UniqueAddress Node) : INoSerializationVerificationNeeded;
}
