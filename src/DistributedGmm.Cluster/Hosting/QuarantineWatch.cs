using Akka.Actor;
using Akka.Event;
using Akka.Remote;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// Downs its own node when another member has quarantined it. A node paused longer than the failure detector allows
/// (SIGSTOP, a long stall) is downed and quarantined by the others, but on resuming it still holds its old view of the
/// cluster: left alone, it would keep that view as a cluster of its own (with any coordinator that joined through it
/// meanwhile) beside the real one. The first refused connection tells it the truth; downing itself ends that view, and
/// <see cref="WorkerNodeHost"/> then joins the real cluster again.
/// </summary>
internal sealed class QuarantineWatch : ReceiveActor
{
    public QuarantineWatch()
    {
        Receive<ThisActorSystemQuarantinedEvent>(m =>
        {
            var cluster = Akka.Cluster.Cluster.Get(Context.System);
            Context.GetLogger().Warning("{0} quarantined this node (it was downed while unreachable): leaving this view of the cluster", m.RemoteAddress);
            cluster.Down(cluster.SelfAddress);
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<QuarantineWatch>();

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(ThisActorSystemQuarantinedEvent));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
