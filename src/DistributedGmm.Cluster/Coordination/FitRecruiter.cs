using Akka.Actor;
using Akka.Event;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Core.Model;
using DistributedGmm.Core.Kernels;

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
    private JoinFit _join;
    private readonly int _minimumNodes;
    private readonly TaskCompletionSource<FittedModel> _completion;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<Address> _asked = [];
    private readonly Dictionary<Address, (int Workers, KernelPath Kernel)> _joined = [];
    private readonly Dictionary<Address, string> _refused = [];
    private bool _started;

    public FitRecruiter(IActorRef coordinator, JoinFit join, int minimumNodes, TimeSpan joinTimeout, TaskCompletionSource<FittedModel> completion)
        : base(joinTimeout)
    {
        (_coordinator, _join, _minimumNodes, _completion) = (coordinator, join, minimumNodes, completion);
        Receive<NodeJoined>(m => m.FitId == _join.FitId, m => OnJoined(Sender.Path.Address, m.Workers, m.Kernel));
        Receive<NodeRefused>(m => m.FitId == _join.FitId, m => OnRefused(Sender.Path.Address, m.Reason));
    }

    public static Props Props(IActorRef coordinator, JoinFit join, int minimumNodes, TimeSpan joinTimeout, TaskCompletionSource<FittedModel> completion) =>
        Akka.Actor.Props.Create(() => new FitRecruiter(coordinator, join, minimumNodes, joinTimeout, completion));

    protected override void OnWorkerUp(Akka.Cluster.Member member)
    {
        if (!_asked.Add(member.Address)) return;
        NodeOf(member.Address).Tell(_join);
    }

    /// <summary>
    /// A node joined. The fit's kernel path is decided when it starts: the one asked for, or the widest every node
    /// joined by then runs; later nodes are asked with that path and refuse if they cannot run it.
    /// </summary>
    private void OnJoined(Address node, int workers, KernelPath kernel)
    {
        if (!_asked.Contains(node)) return;
        if (_started && _join.Kernel is { } chosen && kernel < chosen)
        {
            // Asked before the path was decided, answered after: its workers must not compute other bits.
            _refused[node] = $"node {node} runs kernel path {KernelPaths.Name(kernel)} at most; the fit runs {KernelPaths.Name(chosen)}";
            _log.Warning(_refused[node]);
            _coordinator.Tell(new NodeLost(node));
            return;
        }
        if (!_joined.TryAdd(node, (workers, kernel))) return;
        if (_started || _joined.Count < _minimumNodes) return;
        _started = true;
        StopJoinTimer();
        _join = _join with { Kernel = _join.Kernel ?? _joined.Values.Min(j => j.Kernel) };
        _coordinator.Tell(new ExpectWorkers(_joined.Values.Sum(j => j.Workers), _join.Kernel));
    }

    protected override void OnRefused(Address node, string reason)
    {
        _refused[node] = reason;
        _log.Warning(reason);
        // Every worker node seen so far refused (asked, or of another wire protocol): no point waiting for the join timeout.
        if (!_started && _joined.Count == 0 && _asked.All(_refused.ContainsKey))
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
        _completion.TrySetException(TooFewNodes(_joined.Count, _minimumNodes, refusals));
    }
}
