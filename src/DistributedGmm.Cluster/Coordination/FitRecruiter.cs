using Akka.Actor;
using Akka.Event;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Core.Model;

namespace DistributedGmm.Cluster.Coordination;

/// <summary>
/// The coordinator's side of cluster membership. Every worker member that comes Up is asked to join the fit
/// (<see cref="JoinFit"/> to its <c>/user/gmm-node</c>); once <c>minimumNodes</c> have joined, the coordinator
/// starts when all their shard workers registered. Nodes joining later serve from a following round on.
/// An unreachable or removed member's workers are lost at once (<see cref="NodeLost"/>). Fails the fit when
/// too few nodes joined within the join timeout, or every worker node refused.
/// </summary>
internal sealed class FitRecruiter : WorkerMembershipActor
{
    private readonly IActorRef _coordinator;
    private readonly JoinFit _join;
    private readonly int _minimumNodes;
    private readonly TaskCompletionSource<FittedModel> _completion;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _asked = [];
    private readonly Dictionary<Address, int> _joined = [];
    private readonly Dictionary<Address, string> _refused = [];
    private bool _started;

    public FitRecruiter(IActorRef coordinator, JoinFit join, int minimumNodes, TimeSpan joinTimeout, TaskCompletionSource<FittedModel> completion)
        : base(joinTimeout)
    {
        (_coordinator, _join, _minimumNodes, _completion) = (coordinator, join, minimumNodes, completion);
        Receive<NodeJoined>(m => m.FitId == _join.FitId, m => OnJoined(Sender.Path.Address, m.Workers));
        Receive<NodeRefused>(m => m.FitId == _join.FitId, m => OnRefused(Sender.Path.Address, m.Reason));
    }

    public static Props Props(IActorRef coordinator, JoinFit join, int minimumNodes, TimeSpan joinTimeout, TaskCompletionSource<FittedModel> completion) =>
        Akka.Actor.Props.Create(() => new FitRecruiter(coordinator, join, minimumNodes, joinTimeout, completion));

    protected override void OnWorkerUp(Akka.Cluster.Member member)
    {
        if (!_asked.Add(member.Address)) return;
        NodeOf(member.Address).Tell(_join);
    }

    private void OnJoined(Address node, int workers)
    {
        if (!_asked.Contains(node) || !_joined.TryAdd(node, workers)) return;
        if (_started || _joined.Count < _minimumNodes) return;
        _started = true;
        StopJoinTimer();
        _coordinator.Tell(new ExpectWorkers(_joined.Values.Sum()));
    }

    private void OnRefused(Address node, string reason)
    {
        _refused[node] = reason;
        _log.Warning(reason);
        // Every worker node asked so far refused: no point waiting for the join timeout.
        if (!_started && _joined.Count == 0 && _refused.Count == _asked.Count)
            _completion.TrySetException(new FitFailedException($"no worker node can serve the fit: {reason}"));
    }

    protected override void OnMemberLost(Address node)
    {
        _asked.Remove(node);
        _joined.Remove(node);
        _coordinator.Tell(new NodeLost(node));
    }

    protected override void OnJoinTimeout()
    {
        if (_started) return;
        var refusals = _refused.Count == 0 ? "" : "; " + string.Join("; ", _refused.Values);
        _completion.TrySetException(new FitFailedException(
            TooFewNodes(_joined.Count, _minimumNodes) + refusals));
    }
}
